import { useState, type FormEvent, type ReactNode } from 'react'
import { EVENT_TYPES, eventLabel, type EventType } from '@deskflow/shared'
import { Field, SelectField } from '@/components/ui/field'
import { focusFirstInvalid } from '@/components/ui/focus-invalid'
import { isApiError } from '@/lib/api-client'
import { sentence } from '@/lib/format'

export interface WebhookFormValues {
  url: string
  event: EventType
}

export const NEW_WEBHOOK_VALUES: WebhookFormValues = { url: '', event: 'order.created' }

const EXAMPLE = 'https://your-server.com/webhook'

/** The browser's check; the server adds its own (https required, no private addresses) and says why. */
export function validateWebhookUrl(raw: string): string | undefined {
  const value = raw.trim()
  if (value === '') return `Enter the URL of your endpoint, e.g. ${EXAMPLE}.`
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return `Enter an absolute URL that starts with https://, e.g. ${EXAMPLE}.`
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `Use an https:// URL, e.g. ${EXAMPLE}.`
  return undefined
}

type FieldErrors = Partial<Record<'url' | 'event' | 'form', string>>

/** 422 details land at their field, anything else above the buttons. */
export function serverErrors(error: unknown): FieldErrors {
  if (!error) return {}
  if (!isApiError(error)) return { form: 'Something went wrong. Try again.' }
  const errors: FieldErrors = {}
  for (const field of ['url', 'event'] as const) {
    const message = error.fieldError(field)
    if (message) errors[field] = sentence(message)
  }
  if (Object.keys(errors).length === 0) errors.form = error.message
  return errors
}

/** What of a failed save belongs to no field: shown beside the dialog's buttons. */
export function formError(error: unknown): string | undefined {
  return serverErrors(error).form
}

export interface WebhookFormProps {
  id: string
  initial: WebhookFormValues
  onSubmit: (values: WebhookFormValues) => void
  pending: boolean
  error: unknown
  /** Clears the server error once the admin edits the form again. */
  onEdit?: () => void
  note?: ReactNode
}

export function WebhookForm({ id, initial, onSubmit, pending, error, onEdit, note }: WebhookFormProps) {
  const [values, setValues] = useState(initial)
  const [urlError, setUrlError] = useState<string | undefined>()
  const server = serverErrors(error)

  function change(patch: Partial<WebhookFormValues>) {
    setValues((current) => ({ ...current, ...patch }))
    onEdit?.()
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = event.currentTarget
    const problem = validateWebhookUrl(values.url)
    setUrlError(problem)
    if (problem) {
      requestAnimationFrame(() => focusFirstInvalid(form))
      return
    }
    onSubmit({ ...values, url: values.url.trim() })
  }

  return (
    <form id={id} className="stack" onSubmit={submit} noValidate>
      <Field
        label="Webhook URL"
        name="url"
        type="url"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        placeholder={EXAMPLE}
        value={values.url}
        onChange={(e) => {
          change({ url: e.target.value })
          // Re-check only once a problem is shown, so typing does not nag before the first save.
          if (urlError) setUrlError(validateWebhookUrl(e.target.value))
        }}
        error={urlError ?? server.url}
        hint="The endpoint on your server that receives a POST for each event. Use HTTPS."
        disabled={pending}
      />
      <SelectField
        label="Event"
        name="event"
        value={values.event}
        onChange={(e) => change({ event: e.target.value as EventType })}
        error={server.event}
        hint="The event that triggers this webhook."
        disabled={pending}
      >
        {EVENT_TYPES.map((type) => (
          <option key={type} value={type}>
            {eventLabel(type)}
          </option>
        ))}
      </SelectField>
      {note}
    </form>
  )
}
