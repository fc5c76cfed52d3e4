import { useState, type FormEvent, type ReactNode } from 'react'
import type { EventType } from '@deskflow/shared'
import { Field } from '@/components/ui/field'
import { focusFirstInvalid } from '@/components/ui/focus-invalid'
import { isApiError } from '@/lib/api-client'
import { sentence } from '@/lib/format'
import { EventsGrid } from './events-grid'

export interface WebhookFormValues {
  url: string
  events: EventType[]
}

/** "Order Create" ticked, the guide's example; any others can be added. */
export const NEW_WEBHOOK_VALUES: WebhookFormValues = { url: '', events: ['order.created'] }

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

type FieldErrors = Partial<Record<'url' | 'events' | 'form', string>>

/** 422 details land at their field, anything else above the buttons. */
export function serverErrors(error: unknown): FieldErrors {
  if (!error) return {}
  if (!isApiError(error)) return { form: 'Something went wrong. Try again.' }
  const errors: FieldErrors = {}
  const url = error.fieldError('url')
  if (url) errors.url = sentence(url)
  const events = error.details.find((d) => d.field === 'events' || d.field.startsWith('events.'))
  if (events) errors.events = sentence(events.message)
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
  const [eventsError, setEventsError] = useState<string | undefined>()
  const server = serverErrors(error)

  function change(patch: Partial<WebhookFormValues>) {
    setValues((current) => ({ ...current, ...patch }))
    onEdit?.()
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = event.currentTarget
    const problem = validateWebhookUrl(values.url)
    const noEvent = values.events.length === 0 ? 'Choose at least one event, e.g. Order Create.' : undefined
    setUrlError(problem)
    setEventsError(noEvent)
    if (problem || noEvent) {
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
      <EventsGrid
        value={values.events}
        onChange={(events) => {
          change({ events })
          if (events.length > 0) setEventsError(undefined)
        }}
        error={eventsError ?? server.events}
        disabled={pending}
      />
      {note}
    </form>
  )
}
