import { useId } from 'react'
import { TriangleAlert } from 'lucide-react'
import { CopyButton } from '@/components/ui/copy-button'

/** A full credential, shown once, in a read-only box that selects on focus and wraps, so no character is ever cut off. */
export function CredentialField({ label, value, copyLabel, what }: { label: string; value: string; copyLabel: string; what: string }) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <div className="credential-box">
        <textarea
          id={id}
          className="input input-mono credential-value"
          readOnly
          rows={2}
          value={value}
          spellCheck={false}
          autoComplete="off"
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton value={value} label={copyLabel} what={what} />
      </div>
    </div>
  )
}

export function SecretWarning() {
  return (
    <div className="callout callout-warning" role="note">
      <TriangleAlert size={16} aria-hidden />
      <span>This is the only time the secret is shown without your password. Store it somewhere safe.</span>
    </div>
  )
}
