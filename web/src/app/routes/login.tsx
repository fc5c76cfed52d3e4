import { useNavigate, useSearchParams } from 'react-router'
import { LoginForm } from '@/features/auth/components/login-form'
import { choosePasswordPath, safeRedirect } from '@/lib/safe-redirect'
import { Logo } from '@/components/logo'

export function LoginRoute() {
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const from = safeRedirect(params.get('from'))

  return (
    <main className="auth-page">
      <title>Sign in · Deskflow</title>
      <div className="auth-card">
        <div className="auth-brand">
          <Logo />
        </div>
        <h1 className="auth-title">Sign in to your store admin</h1>
        <LoginForm
          onSuccess={(result) =>
            // A one-time password: their own first, then where they were heading.
            void navigate(result.passwordChangeRequired ? choosePasswordPath(from) : from, { replace: true })
          }
        />
      </div>
      <p className="auth-footer">API keys &amp; integrations for Deskflow stores</p>
    </main>
  )
}
