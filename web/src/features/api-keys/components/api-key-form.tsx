import { useState, type FormEvent, type ReactNode } from 'react'
import { DESCRIPTION_MAX, RATE_LIMIT_DEFAULT, type Permission } from '@deskflow/shared'
import { TriangleAlert } from 'lucide-react'
import { ConfirmDialog } from '@/components/ui/confirm-dialog'
import { Field } from '@/components/ui/field'
import { focusFirstInvalid } from '@/components/ui/focus-invalid'
import { Switch } from '@/components/ui/switch'
import { isApiError } from '@/lib/api-client'
import { fromLocalInput, toLocalInput } from '@/lib/datetime-local'
import { sentence } from '@/lib/format'
import { AccessFields, ipLines, validateAccess, type AccessDraft, type AccessErrors } from './access-fields'
import { holdsEveryWrite } from './key-facts'
import { PermissionsGrid } from './permissions-grid'

export interface ApiKeyFormValues {
  description: string
  permissions: Permission[]
  activated: boolean
  expiresAt: string | null
  allowedIps: string[]
  rateLimitPerMinute: number
}

export const NEW_KEY_VALUES: ApiKeyFormValues = {
  description: '',
  permissions: [],
  activated: true,
  expiresAt: null,
  allowedIps: [],
  rateLimitPerMinute: RATE_LIMIT_DEFAULT,
}

/** True when any access control differs from what a new key gets. */
export function hasAccessSettings(values: Pick<ApiKeyFormValues, 'expiresAt' | 'allowedIps' | 'rateLimitPerMinute'>): boolean {
  return values.expiresAt !== null || values.allowedIps.length > 0 || values.rateLimitPerMinute !== RATE_LIMIT_DEFAULT
}

function toDraft(values: ApiKeyFormValues): AccessDraft {
  return { expires: toLocalInput(values.expiresAt), allowedIps: values.allowedIps.join('\n'), rateLimit: String(values.rateLimitPerMinute) }
}

export function validateDescription(raw: string): string | undefined {
  const description = raw.trim()
  if (description.length === 0) return 'Enter a description, e.g. "Mobile App Integration".'
  if (description.length > DESCRIPTION_MAX) return `Use at most ${DESCRIPTION_MAX} characters (this has ${description.length}).`
  return undefined
}

type FieldErrors = Partial<Record<'description' | 'permissions' | 'activated' | 'form', string>> & AccessErrors

/**
 * Maps a server answer onto the form: 422 details land at their field, anything else above the buttons.
 * `allowedIps.N` indexes the non-blank lines that were sent, so it is turned back into the textarea's line number.
 */
export function serverErrors(error: unknown, allowedIpsText = ''): FieldErrors {
  if (!isApiError(error)) return error ? { form: 'Something went wrong. Try again.' } : {}
  const errors: FieldErrors = {}
  for (const field of ['description', 'permissions', 'activated'] as const) {
    const message = error.fieldError(field)
    if (message) errors[field] = sentence(message)
  }
  const expires = error.fieldError('expiresAt')
  if (expires) errors.expires = sentence(expires)
  const rate = error.fieldError('rateLimitPerMinute')
  if (rate) errors.rateLimit = sentence(rate)
  const ip = error.details.find((d) => d.field === 'allowedIps' || d.field.startsWith('allowedIps.'))
  if (ip) {
    const index = Number(ip.field.split('.')[1])
    const line = Number.isInteger(index) ? ipLines(allowedIpsText)[index]?.line : undefined
    errors.allowedIps = line ? `Line ${line}: ${ip.message}` : sentence(ip.message)
  }
  if (Object.keys(errors).length === 0) errors.form = error.message
  return errors
}

/** What of a failed save belongs to no field: shown beside the dialog's buttons. */
export function formError(error: unknown): string | undefined {
  const { form, activated } = serverErrors(error)
  return form ?? activated
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

type MainValues = Pick<ApiKeyFormValues, 'description' | 'permissions' | 'activated'>

export function ApiKeyForm({ id, initial, onSubmit, pending, error, onEdit, note }: ApiKeyFormProps) {
  const [values, setValues] = useState<MainValues>(initial)
  const [initialAccess] = useState(() => toDraft(initial))
  const [access, setAccess] = useState(initialAccess)
  const [accessOpen, setAccessOpen] = useState(() => hasAccessSettings(initial))
  const [descriptionError, setDescriptionError] = useState<string | undefined>()
  const [accessErrors, setAccessErrors] = useState<AccessErrors>({})
  // A save with no permission waits here for the admin's confirmation.
  const [unconfirmed, setUnconfirmed] = useState<ApiKeyFormValues | null>(null)
  const server = serverErrors(error, access.allowedIps)
  const length = values.description.trim().length
  const shownAccessErrors: AccessErrors = {
    expires: accessErrors.expires ?? server.expires,
    allowedIps: accessErrors.allowedIps ?? server.allowedIps,
    rateLimit: accessErrors.rateLimit ?? server.rateLimit,
  }
  const accessInvalid = Object.values(shownAccessErrors).some(Boolean)

  function change(patch: Partial<MainValues>) {
    setValues((current) => ({ ...current, ...patch }))
    onEdit?.()
  }

  function changeAccess(patch: Partial<AccessDraft>) {
    const next = { ...access, ...patch }
    setAccess(next)
    // Re-check only the fields that already show a problem, so typing does not nag before the first save.
    setAccessErrors((current) => {
      const fresh = validateAccess(next, initialAccess)
      return Object.fromEntries(
        Object.keys(current)
          .map((k) => [k, fresh[k as keyof AccessDraft]])
          .filter(([, v]) => v),
      ) as AccessErrors
    })
    onEdit?.()
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = event.currentTarget
    const problem = validateDescription(values.description)
    const accessProblems = validateAccess(access, initialAccess)
    setDescriptionError(problem)
    setAccessErrors(accessProblems)
    const accessProblem = Object.values(accessProblems).some(Boolean)
    if (accessProblem) setAccessOpen(true)
    if (problem || accessProblem) {
      // The access panel may only just be opening: focus once it is shown.
      requestAnimationFrame(() => focusFirstInvalid(form))
      return
    }
    const submitted: ApiKeyFormValues = {
      ...values,
      description: values.description.trim(),
      expiresAt:
        access.expires === initialAccess.expires ? initial.expiresAt : access.expires === '' ? null : fromLocalInput(access.expires),
      allowedIps: ipLines(access.allowedIps).map(({ entry }) => entry),
      rateLimitPerMinute: Number(access.rateLimit),
    }
    // The guide's "minimum permissions" tip, the other way round: a key with none is refused on
    // every call, so a new key without any, or a key losing its last one, is confirmed first.
    if (values.permissions.length === 0 && (initial.description === '' || initial.permissions.length > 0)) setUnconfirmed(submitted)
    else onSubmit(submitted)
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
        {holdsEveryWrite(values.permissions) ? (
          <p className="callout callout-warning permissions-warning" role="status">
            <TriangleAlert size={16} aria-hidden />
            <span>
              This key can change every order, customer, product and category. Grant only the write permissions the integration needs.
            </span>
          </p>
        ) : null}
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
      <AccessFields
        draft={access}
        onChange={changeAccess}
        errors={shownAccessErrors}
        open={accessOpen || accessInvalid}
        onOpenChange={setAccessOpen}
        disabled={pending}
      />
      {note}
      <ConfirmDialog
        open={unconfirmed !== null}
        onOpenChange={(open) => (open ? undefined : setUnconfirmed(null))}
        title="Save without permissions?"
        description={
          <p>
            “{values.description.trim()}” will be refused on every call until you give it a permission. You can add permissions later with
            Edit.
          </p>
        }
        confirmLabel="Save without permissions"
        tone="primary"
        onConfirm={() => {
          if (unconfirmed) onSubmit(unconfirmed)
          setUnconfirmed(null)
        }}
      />
    </form>
  )
}
