import { NavLink, Outlet, useParams, Link } from 'react-router'
import { ChartColumn, Eye, KeyRound, ScrollText, Users, Webhook } from 'lucide-react'
import { useMe } from '@/features/auth/api/get-me'
import { useStores } from '@/features/stores/api/get-stores'
import { StoreSwitcher } from '@/features/stores/components/store-switcher'
import { StoreNotFound } from '@/components/store-not-found'
import { Spinner } from '@/components/ui/spinner'
import { ErrorState } from '@/components/ui/error-state'
import { Logo } from '@/components/logo'
import { StoreRoleProvider } from '@/lib/store-role'
import { ChangePasswordButton } from './change-password-button'
import { SignOutButton } from './sign-out-button'

export function StoreLayout() {
  const { key = '' } = useParams()
  const me = useMe()
  const stores = useStores()
  const store = stores.data?.find((s) => s.key === key)

  let main
  if (stores.isPending)
    main = (
      <div className="center-pad">
        <Spinner size={24} label="Loading" />
      </div>
    )
  else if (stores.isError)
    main = (
      <div className="card">
        <ErrorState message={stores.error.message} onRetry={() => void stores.refetch()} retrying={stores.isFetching} />
      </div>
    )
  else if (!store) main = <StoreNotFound storeKey={key} />
  else
    main = (
      <>
        {store.role === 'viewer' ? (
          <p className="callout callout-info viewer-note" role="note">
            <Eye size={16} aria-hidden />
            <span>
              You can view this store: its keys, webhooks, usage and audit log. Changes and secrets need a developer or an owner of the
              store.
            </span>
          </p>
        ) : null}
        <StoreRoleProvider value={store.role}>
          <Outlet context={store} />
        </StoreRoleProvider>
      </>
    )

  const base = `/store/${encodeURIComponent(key)}`
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="topbar-brand" aria-label="Deskflow home">
          <Logo />
        </Link>
        {stores.data && stores.data.length > 0 ? <StoreSwitcher stores={stores.data} current={key} /> : null}
        <div className="topbar-spacer" />
        {me.data ? (
          <span className="topbar-email" title={me.data.admin.email}>
            {me.data.admin.email}
          </span>
        ) : null}
        <ChangePasswordButton />
        <SignOutButton />
      </header>
      <div className="shell-body">
        <nav className="sidenav" aria-label="Settings">
          <p className="sidenav-heading">Settings</p>
          <NavLink to={`${base}/settings/api`} className="sidenav-link">
            <KeyRound size={16} aria-hidden />
            API
          </NavLink>
          <NavLink to={`${base}/settings/webhooks`} className="sidenav-link">
            <Webhook size={16} aria-hidden />
            Webhooks
          </NavLink>
          <NavLink to={`${base}/settings/usage`} className="sidenav-link">
            <ChartColumn size={16} aria-hidden />
            Usage
          </NavLink>
          <NavLink to={`${base}/settings/audit-log`} className="sidenav-link">
            <ScrollText size={16} aria-hidden />
            Audit log
          </NavLink>
          <NavLink to={`${base}/settings/team`} className="sidenav-link">
            <Users size={16} aria-hidden />
            Team
          </NavLink>
        </nav>
        <main className="content">{main}</main>
      </div>
    </div>
  )
}
