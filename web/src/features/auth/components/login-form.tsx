import { useState, type FormEvent } from 'react'
import type { LoginResponse } from '@deskflow/shared'
import { CircleAlert } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { CurrentPasswordField, Field } from '@/components/ui/field'
import { isApiError } from '@/lib/api-client'
import { useLogin } from '../api/login'

function loginErrorMessage(error: unknown): string {
  if (!isApiError(error)) return 'Something went wrong. Try again.'
  if (error.code === 'unauthorized') return 'Email or password is incorrect'
  if (error.code === 'rate_limited') {
    const wait = error.retryAfter
      ? ` Try again in ${error.retryAfter < 90 ? `${error.retryAfter} seconds` : `${Math.ceil(error.retryAfter / 60)} minutes`}.`
      : ' Try again in a few minutes.'
    return `Too many sign-in attempts.${wait}`
  }
  return error.message
}

export function LoginForm({ onSuccess }: { onSuccess: (result: LoginResponse) => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const loginMutation = useLogin()

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    loginMutation.mutate({ email: email.trim(), password }, { onSuccess })
  }

  return (
    <form className="stack" onSubmit={onSubmit} noValidate={false}>
      {loginMutation.isError ? (
        <div className="callout callout-danger" role="alert">
          <CircleAlert size={16} aria-hidden />
          <span>{loginErrorMessage(loginMutation.error)}</span>
        </div>
      ) : null}
      <Field
        label="Email"
        type="email"
        name="email"
        autoComplete="username"
        required
        autoFocus
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <CurrentPasswordField value={password} onChange={(e) => setPassword(e.target.value)} />
      <Button type="submit" variant="primary" className="btn-block" loading={loginMutation.isPending}>
        Sign in
      </Button>
    </form>
  )
}
