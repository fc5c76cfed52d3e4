import { Navigate } from 'react-router'
import { Store as StoreIcon } from 'lucide-react'
import { useStores } from '@/features/stores/api/get-stores'
import { StorePicker } from '@/features/stores/components/store-picker'
import { EmptyState } from '@/components/ui/empty-state'
import { ErrorState } from '@/components/ui/error-state'
import { Spinner } from '@/components/ui/spinner'
import { Logo } from '@/components/logo'
import { ChangePasswordButton } from './change-password-button'
import { SignOutButton } from './sign-out-button'

export function HomeRoute() {
  const stores = useStores()

  if (stores.data?.length === 1) {
    const only = stores.data[0]!
    return <Navigate to={`/store/${encodeURIComponent(only.key)}/settings/api`} replace />
  }

  let content
  if (stores.isPending)
    content = (
      <div className="center-pad">
        <Spinner size={24} label="Loading your stores" />
      </div>
    )
  else if (stores.isError)
    content = <ErrorState message={stores.error.message} onRetry={() => void stores.refetch()} retrying={stores.isFetching} />
  else if (stores.data.length === 0)
    content = (
      <EmptyState icon={<StoreIcon size={22} aria-hidden />} title="No stores yet">
        <p>Your account is not a member of any store. Ask a store owner to invite you.</p>
      </EmptyState>
    )
  else
    content = (
      <>
        <h1 className="auth-title">Choose a store</h1>
        <StorePicker stores={stores.data} />
      </>
    )

  return (
    <main className="auth-page">
      <title>Stores · Deskflow</title>
      <div className="auth-card auth-card-wide">
        <div className="auth-brand auth-brand-row">
          <Logo />
          <div className="auth-brand-actions">
            <ChangePasswordButton />
            <SignOutButton />
          </div>
        </div>
        {content}
      </div>
    </main>
  )
}
