import { useState, type FormEvent, type ReactNode } from 'react'
import { PASSWORD_MIN_LENGTH, type ChangePasswordBody } from '@deskflow/shared'
import { Field } from '@/components/ui/field'
import { focusFirstInvalid } from '@/components/ui/focus-invalid'
import { isApiError } from '@/lib/api-client'
import { sentence } from '@/lib/format'

type Values = ChangePasswordBody & { confirmPassword: string }
type FieldName = keyof Values
export type PasswordErrors = Partial<Record<FieldName | 'form', string>>

/** What the form can tell before asking the server (which checks the same, and the current password). */
export function validatePasswords({ currentPassword, newPassword, confirmPassword }: Values): PasswordErrors {
  const errors: PasswordErrors = {}
  if (currentPassword === '') errors.currentPassword = 'Enter your current password.'
  // Characters as the server counts them (code points), not UTF-16 units.
  if ([...newPassword].length < PASSWORD_MIN_LENGTH) errors.newPassword = `Use at least ${PASSWORD_MIN_LENGTH} characters.`
  else if (newPassword === currentPassword) errors.newPassword = 'Choose a password other than your current one.'
  else if (confirmPassword !== newPassword) errors.confirmPassword = 'This does not match the new password.'
  return errors
}

/** A refused change: what names a field lands under it (a wrong current password, a new one refused), the rest beside the buttons. */
export function serverPasswordErrors(error: unknown): PasswordErrors {
  if (!error) return {}
  if (!isApiError(error)) return { form: 'Something went wrong. Try again.' }
  const errors: PasswordErrors = {}
  const current = error.fieldError('currentPassword')
  if (current) errors.currentPassword = sentence(current)
  const next = error.fieldError('newPassword')
  if (next) errors.newPassword = sentence(next)
  if (!current && !next)
    errors.form =
      error.code === 'rate_limited'
        ? `Too many attempts. Try again in ${error.retryAfter ? `${error.retryAfter} seconds` : 'a minute'}.`
        : error.message
  return errors
}

export interface ChangePasswordFormProps {
  id: string
  /** The current password's label: "One-time password" right after signing in with one. */
  currentLabel?: string
  currentHint?: ReactNode
  onSubmit: (body: ChangePasswordBody) => void
  pending: boolean
  /** The last failed change. */
  error: unknown
  /** Forgets that failure: called on every edit. */
  onEdit: () => void
  /** Inside the form, after the fields: a page's own submit button. */
  children?: ReactNode
}

/** The current password, the new one and the new one again. Typed passwords live in this form only. */
export function ChangePasswordForm({
  id,
  currentLabel = 'Current password',
  currentHint,
  onSubmit,
  pending,
  error,
  onEdit,
  children,
}: ChangePasswordFormProps) {
  const [values, setValues] = useState<Values>({ currentPassword: '', newPassword: '', confirmPassword: '' })
  const [errors, setErrors] = useState<PasswordErrors>({})
  const server = serverPasswordErrors(error)
  const shown = {
    currentPassword: errors.currentPassword ?? server.currentPassword,
    newPassword: errors.newPassword ?? server.newPassword,
    confirmPassword: errors.confirmPassword,
  }

  function edit(name: FieldName, value: string) {
    setValues((current) => ({ ...current, [name]: value }))
    setErrors((current) => ({ ...current, [name]: undefined }))
    onEdit()
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const found = validatePasswords(values)
    setErrors(found)
    if (Object.keys(found).length > 0) {
      const form = event.currentTarget
      // Once the errors are shown.
      requestAnimationFrame(() => focusFirstInvalid(form))
      return
    }
    onSubmit({ currentPassword: values.currentPassword, newPassword: values.newPassword })
  }

  return (
    <form id={id} className="stack" onSubmit={submit} noValidate aria-busy={pending || undefined}>
      <Field
        label={currentLabel}
        type="password"
        name="current-password"
        autoComplete="current-password"
        required
        hint={currentHint}
        value={values.currentPassword}
        error={shown.currentPassword}
        onChange={(e) => edit('currentPassword', e.target.value)}
      />
      <Field
        label="New password"
        type="password"
        name="new-password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN_LENGTH}
        maxLength={1024}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        value={values.newPassword}
        error={shown.newPassword}
        onChange={(e) => edit('newPassword', e.target.value)}
      />
      <Field
        label="Confirm new password"
        type="password"
        name="confirm-password"
        autoComplete="new-password"
        required
        value={values.confirmPassword}
        error={shown.confirmPassword}
        onChange={(e) => edit('confirmPassword', e.target.value)}
      />
      {children}
    </form>
  )
}
