import { useState, type FormEvent } from 'react'
import type { AddMemberBody, AddedMember, StoreRole } from '@deskflow/shared'
import { TriangleAlert, UserPlus } from 'lucide-react'
import { CredentialField } from '@/components/ui/credential-field'
import { Field } from '@/components/ui/field'
import { focusFirstInvalid } from '@/components/ui/focus-invalid'
import { CreateFormModal, saveState, type CreateModalProps } from '@/components/ui/form-modal'
import { isApiError } from '@/lib/api-client'
import { sentence } from '@/lib/format'
import { useAddMember } from '../api/add-member'
import { RoleField } from './role-field'
import { ROLE_LABELS } from './roles'

const FORM_ID = 'add-member-form'
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

type Errors = Partial<Record<'email' | 'role' | 'form', string>>

export function validateEmail(raw: string): string | undefined {
  const email = raw.trim()
  if (email === '') return 'Enter the email address of the person to add.'
  if (!EMAIL.test(email)) return 'Enter an email address, e.g. dev@example.com.'
  return undefined
}

/** A refused add: 422 details and the 409 of a member already there land at their field, anything else beside the buttons. */
export function serverErrors(error: unknown): Errors {
  if (!isApiError(error)) return error ? { form: 'Something went wrong. Try again.' } : {}
  const errors: Errors = {}
  const email = error.fieldError('email')
  if (email) errors.email = sentence(email)
  const role = error.fieldError('role')
  if (role) errors.role = sentence(role)
  if (!email && !role) errors.form = error.message
  return errors
}

export function AddMemberModal({ storeKey, open, onOpenChange }: CreateModalProps) {
  const addMutation = useAddMember(storeKey)
  return (
    <CreateFormModal<AddMemberBody, AddedMember>
      open={open}
      onOpenChange={onOpenChange}
      title="Add member"
      description="Give someone a role in this store. If they have no Deskflow sign-in yet, one is created for them."
      formId={FORM_ID}
      mutation={addMutation}
      createdToast="Member added"
      formError={(error) => serverErrors(error).form}
      form={(submit) => <AddMemberForm onSubmit={submit} {...saveState(addMutation)} />}
      created={(added) => ({
        icon: <UserPlus size={18} aria-hidden />,
        heading: added.password ? 'Copy their password now' : 'Member added',
        summary: (
          <>
            {added.email} is {added.role === 'owner' ? 'an' : 'a'} {ROLE_LABELS[added.role].toLowerCase()} of this store
            {added.password ? ': a new sign-in was created for them.' : '. They see it the next time they open Deskflow.'}
          </>
        ),
        credentials: added.password ? (
          <>
            <CredentialField label="One-time password" value={added.password} copyLabel="Copy password" what="Password" />
            <div className="callout callout-warning" role="note">
              <TriangleAlert size={16} aria-hidden />
              <span>
                This is the only time this password is shown. Give it to {added.email} privately; they sign in with their email and this
                password.
              </span>
            </div>
          </>
        ) : null,
      })}
    />
  )
}

function AddMemberForm({
  onSubmit,
  pending,
  error,
  onEdit,
}: {
  onSubmit: (body: AddMemberBody) => void
  pending: boolean
  error: unknown
  onEdit: () => void
}) {
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<StoreRole>('developer')
  const [errors, setErrors] = useState<Errors>({})
  const server = serverErrors(error)
  const shown = { email: errors.email ?? server.email, role: server.role }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const emailError = validateEmail(email)
    setErrors({ email: emailError })
    if (emailError) {
      const form = event.currentTarget
      // Once the error is shown.
      requestAnimationFrame(() => focusFirstInvalid(form))
      return
    }
    onSubmit({ email: email.trim(), role })
  }

  return (
    <form id={FORM_ID} className="stack" onSubmit={submit} noValidate aria-busy={pending || undefined}>
      <Field
        label="Email"
        type="email"
        name="email"
        autoComplete="off"
        spellCheck={false}
        maxLength={254}
        required
        value={email}
        error={shown.email}
        onChange={(e) => {
          setEmail(e.target.value)
          setErrors((current) => ({ ...current, email: undefined }))
          onEdit()
        }}
      />
      <RoleField
        name="add-member-role"
        value={role}
        error={shown.role}
        onChange={(next) => {
          setRole(next)
          onEdit()
        }}
      />
    </form>
  )
}
