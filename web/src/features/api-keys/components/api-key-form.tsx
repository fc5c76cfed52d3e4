import { useState, type FormEvent, type ReactNode } from 'react'
import { DESCRIPTION_MAX, type Permission } from '@deskflow/shared'
import { Field } from '@/components/ui/field'
import { Switch } from '@/components/ui/switch'
import { isApiError } from '@/lib/api-client'
import { PermissionsGrid } from './permissions-grid'

export interface ApiKeyFormValues {
  description: string
  permissions: Permission[]
  activated: boolean
}

export function validateDescription(raw: string): string | undefined {
  const description = raw.trim()
  if (description.length === 0) return 'Enter a description, e.g. "Mobile App Integration".'
  if (description.length > DESCRIPTION_MAX) return `Use at most ${DESCRIPTION_MAX} characters (this has ${description.length}).`
  return undefined
}

/** Server messages are fragments ("must not be blank"); show them as sentences. */
export function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1)
}

type FieldErrors = Partial<Record<'description' | 'permissions' | 'activated' | 'form', string>>

/** Maps a server answer onto the form: 422 details land at their field, anything else above the buttons. */
export function serverErrors(error: unknown): FieldErrors {
  if (!isApiError(error)) return error ? { form: 'Something went wrong. Try again.' } : {}
  const errors: FieldErrors = {}
  for (const field of ['description', 'permissions', 'activated'] as const) {
    const message = error.fieldError(field)
    if (message) errors[field] = sentence(message)
  }
  if (Object.keys(errors).length === 0) errors.form = error.message
  return errors
}

export interface ApiKeyFormProps {
  id: string
  initial: ApiKeyFormValues
  onSubmit: (values: ApiKeyFormValues) => void
  pending: boolean
  error: unknown
  /** Clears the server error once the user edits the form again. */
  onEdit?: () => void
  note?: ReactNode
}

export function ApiKeyForm({ id, initial, onSubmit, pending, error, onEdit, note }: ApiKeyFormProps) {
  const [values, setValues] = useState(initial)
  const [descriptionError, setDescriptionError] = useState<string | undefined>()
  const server = serverErrors(error)
  const length = values.description.trim().length

  function change(patch: Partial<ApiKeyFormValues>) {
    setValues((current) => ({ ...current, ...patch }))
    onEdit?.()
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const problem = validateDescription(values.description)
    setDescriptionError(problem)
    if (problem) {
      event.currentTarget.querySelector<HTMLInputElement>('input[name="description"]')?.focus()
      return
    }
    onSubmit({ ...values, description: values.description.trim() })
  }

  return (
    <form id={id} className="stack" onSubmit={submit} noValidate>
      <Field
        label="Description"
        name="description"
        autoComplete="off"
        placeholder="Mobile App Integration"
        value={values.description}
        onChange={(e) => {
          change({ description: e.target.value })
          if (descriptionError) setDescriptionError(validateDescription(e.target.value))
        }}
        error={descriptionError ?? server.description}
        hint="A name that tells you where this key is used."
        aside={
          <span className={length > DESCRIPTION_MAX ? 'counter counter-over' : 'counter'} aria-live="polite">
            {length}/{DESCRIPTION_MAX}
          </span>
        }
      />
      <div>
        <PermissionsGrid value={values.permissions} onChange={(permissions) => change({ permissions })} disabled={pending} />
        {server.permissions ? (
          <p className="field-error" role="alert">
            {server.permissions}
          </p>
        ) : null}
      </div>
      <Switch
        label="Activated"
        checked={values.activated}
        onCheckedChange={(activated) => change({ activated })}
        hint={values.activated ? 'The key works as soon as it is saved.' : 'Requests with this key are refused until you activate it.'}
      />
      {note}
      {server.form || server.activated ? (
        <p className="form-error" role="alert">
          {server.form ?? server.activated}
        </p>
      ) : null}
    </form>
  )
}
