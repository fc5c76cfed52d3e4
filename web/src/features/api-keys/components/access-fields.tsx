import { useId } from 'react'
import { RATE_LIMIT_DEFAULT } from '@deskflow/shared'
import { ChevronRight } from 'lucide-react'
import { Field, TextAreaField } from '@/components/ui/field'
import { formatDateTime } from '@/lib/format'
import { fromLocalInput, toLocalInput } from '@/lib/datetime-local'

export const RATE_LIMIT_MAX = 100_000
export const ALLOWED_IPS_MAX = 100
const ENTRY_MAX = 64

/** What the inputs hold while the admin types: the raw text of each access control. */
export interface AccessDraft {
  /** `YYYY-MM-DDTHH:mm` in local time (a datetime-local value), or '' for "never". */
  expires: string
  /** One address or range per line, blank lines allowed. */
  allowedIps: string
  rateLimit: string
}

export type AccessErrors = Partial<Record<keyof AccessDraft, string>>

/** The non-blank lines, trimmed, with the line number (from 1) each came from. */
export function ipLines(text: string): { entry: string; line: number }[] {
  return text
    .split('\n')
    .map((raw, i) => ({ entry: raw.trim(), line: i + 1 }))
    .filter(({ entry }) => entry.length > 0)
}

export function validateAccess(draft: AccessDraft, initial: AccessDraft, now = Date.now()): AccessErrors {
  const errors: AccessErrors = {}
  // An untouched expiry is not checked again: an expired key must stay editable.
  if (draft.expires !== initial.expires && draft.expires !== '') {
    const iso = fromLocalInput(draft.expires)
    if (!iso) errors.expires = 'Enter a date and time, or leave it empty so the key never expires.'
    else if (new Date(iso).getTime() <= now) errors.expires = 'Choose a time in the future.'
  }
  const lines = ipLines(draft.allowedIps)
  const tooLong = lines.find(({ entry }) => entry.length > ENTRY_MAX)
  if (lines.length > ALLOWED_IPS_MAX) errors.allowedIps = `Enter at most ${ALLOWED_IPS_MAX} addresses or ranges (this has ${lines.length}).`
  else if (tooLong) errors.allowedIps = `Line ${tooLong.line}: use at most ${ENTRY_MAX} characters.`
  const rate = Number(draft.rateLimit)
  if (draft.rateLimit.trim() === '' || !Number.isInteger(rate) || rate < 1 || rate > RATE_LIMIT_MAX)
    errors.rateLimit = `Enter a whole number from 1 to ${RATE_LIMIT_MAX.toLocaleString('en')}.`
  return errors
}

export function accessSummary(draft: AccessDraft): string {
  const iso = draft.expires ? fromLocalInput(draft.expires) : null
  const count = ipLines(draft.allowedIps).length
  return [
    iso ? `Expires ${formatDateTime(iso)}` : 'Never expires',
    count === 0 ? 'any IP address' : `${count} allowed IP ${count === 1 ? 'range' : 'ranges'}`,
    `${draft.rateLimit || RATE_LIMIT_DEFAULT} requests/min`,
  ].join(' · ')
}

export interface AccessFieldsProps {
  draft: AccessDraft
  onChange: (patch: Partial<AccessDraft>) => void
  errors: AccessErrors
  open: boolean
  onOpenChange: (open: boolean) => void
  disabled?: boolean
}

/** Expiry, IP allowlist and rate limit, behind a disclosure: most keys keep the defaults. */
export function AccessFields({ draft, onChange, errors, open, onOpenChange, disabled }: AccessFieldsProps) {
  const id = useId()
  return (
    <section className="access" aria-labelledby={`${id}-toggle`}>
      <button
        type="button"
        id={`${id}-toggle`}
        className="disclosure"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => onOpenChange(!open)}
      >
        <ChevronRight size={16} aria-hidden className="disclosure-chevron" />
        Advanced access settings
      </button>
      {open ? null : <p className="field-hint access-summary">{accessSummary(draft)}</p>}
      <fieldset id={`${id}-panel`} className="access-panel stack" hidden={!open} disabled={disabled}>
        <legend className="sr-only">Access</legend>
        <Field
          label="Expires"
          name="expiresAt"
          type="datetime-local"
          value={draft.expires}
          min={toLocalInput(new Date().toISOString())}
          onChange={(e) => onChange({ expires: e.target.value })}
          error={errors.expires}
          hint={
            draft.expires
              ? 'After this time every request with the key is refused.'
              : 'Never: leave it empty and the key keeps working until you deactivate or delete it.'
          }
          aside={
            draft.expires ? (
              <button type="button" className="link-btn" onClick={() => onChange({ expires: '' })}>
                Never expire
              </button>
            ) : (
              <span className="counter">Never</span>
            )
          }
        />
        <TextAreaField
          label="Allowed IP addresses"
          name="allowedIps"
          rows={3}
          spellCheck={false}
          autoComplete="off"
          placeholder={'203.0.113.7\n198.51.100.0/24'}
          value={draft.allowedIps}
          onChange={(e) => onChange({ allowedIps: e.target.value })}
          error={errors.allowedIps}
          hint="One IPv4 or IPv6 address or CIDR range per line. Leave it empty to accept requests from any address."
        />
        <Field
          label="Rate limit (requests per minute)"
          name="rateLimitPerMinute"
          type="number"
          inputMode="numeric"
          min={1}
          max={RATE_LIMIT_MAX}
          step={1}
          className="field-narrow"
          value={draft.rateLimit}
          onChange={(e) => onChange({ rateLimit: e.target.value })}
          error={errors.rateLimit}
          hint={`Requests over the limit get 429 Too Many Requests. Default ${RATE_LIMIT_DEFAULT}.`}
        />
      </fieldset>
    </section>
  )
}
