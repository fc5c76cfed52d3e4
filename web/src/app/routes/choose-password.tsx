import { useEffect } from 'react'
import { Navigate, useSearchParams } from 'react-router'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { ErrorState } from '@/components/ui/error-state'
import { focusFirstInvalid } from '@/components/ui/focus-invalid'
import { Spinner } from '@/components/ui/spinner'
import { Logo } from '@/components/logo'
import { saveState } from '@/components/ui/form-modal'
import { useChangePassword } from '@/features/auth/api/change-password'
import { useMe } from '@/features/auth/api/get-me'
import { ChangePasswordForm, serverPasswordErrors } from '@/features/auth/components/change-password-form'
import { safeRedirect } from '@/lib/safe-redirect'
import { SignOutButton } from './sign-out-button'

const FORM_ID = 'choose-password-form'

/**
 * After signing in with a one-time password (one an owner or an operator generated): the admin
 * chooses their own before anything else, then goes where they were heading. Anyone else
 * who comes here goes there at once.
 */
export function ChoosePasswordRoute() {
  const [params] = useSearchParams()
  const from = safeRedirect(params.get('from'))
  const me = useMe()
  const change = useChangePassword()

  // After a refused change, the first field the server named, focused.
  useEffect(() => {
    if (change.error) focusFirstInvalid(document.getElementById(FORM_ID))
  }, [change.error])

  if (me.data && !me.data.passwordChangeRequired) return <Navigate to={from} replace />

  let content
  if (me.isPending)
    content = (
      <div className="center-pad">
        <Spinner size={24} label="Loading" />
      </div>
    )
  else if (me.isError) content = <ErrorState message={me.error.message} onRetry={() => void me.refetch()} retrying={me.isFetching} />
  else {
    const formError = serverPasswordErrors(change.error).form
    content = (
      <>
        <h1 className="auth-title">Choose your password</h1>
        <p className="auth-intro">
          You signed in as <strong>{me.data.admin.email}</strong> with a one-time password. Choose your own to continue: from now on you
          sign in with it, and the one-time password stops working.
        </p>
        <ChangePasswordForm
          id={FORM_ID}
          currentLabel="One-time password"
          currentHint="The password you were given to sign in with."
          {...saveState(change)}
          onSubmit={(body) => change.mutate(body, { onSuccess: () => toast.success('Password saved. Welcome to Deskflow!') })}
        >
          {formError ? (
            <p className="form-error" role="alert">
              {formError}
            </p>
          ) : null}
          <Button type="submit" variant="primary" className="btn-block" loading={change.isPending}>
            Save and continue
          </Button>
        </ChangePasswordForm>
      </>
    )
  }

  return (
    <main className="auth-page">
      <title>Choose your password · Deskflow</title>
      <div className="auth-card">
        <div className="auth-brand auth-brand-row">
          <Logo />
          <SignOutButton />
        </div>
        {content}
      </div>
    </main>
  )
}
