import { useRef, useState } from 'react'
import type { ApiKey, GracePeriod } from '@deskflow/shared'
import { toast } from 'sonner'
import { Clock, RefreshCw } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { ConfirmDialog } from '@/components/ui/confirm-dialog'
import { formatDateTime } from '@/lib/format'
import { useRegenerateApiSecret } from '../api/regenerate-api-secret'
import { CredentialField, SecretWarning } from '@/components/ui/credential-field'

const GRACE_OPTIONS: { value: GracePeriod; label: string; consequence: string }[] = [
  { value: 'none', label: 'Stop working immediately', consequence: 'The current secret stops working at once.' },
  { value: '1h', label: 'Keep working for 1 hour', consequence: 'The current secret keeps working for 1 hour.' },
  { value: '24h', label: 'Keep working for 24 hours', consequence: 'The current secret keeps working for 24 hours.' },
]

/**
 * Regenerating a key's secret: when the old one stops working, confirm, then the new one shown
 * once. Inside the Edit form, or `standalone` in its own dialog (the row's action), where no
 * Cancel of a form could be mistaken for undoing it.
 */
export function RegenerateSecretSection({
  storeKey,
  apiKey,
  standalone = false,
}: {
  storeKey: string
  apiKey: ApiKey
  standalone?: boolean
}) {
  const [gracePeriod, setGracePeriod] = useState<GracePeriod>('none')
  const [confirming, setConfirming] = useState(false)
  const [openedAt] = useState(Date.now)
  const regenerate = useRegenerateApiSecret(storeKey)
  const resultRef = useRef<HTMLDivElement>(null)
  const result = regenerate.data
  const previousExpiresAt = result ? result.previousSecretExpiresAt : apiKey.previousSecretExpiresAt
  const graceActive = previousExpiresAt !== null && new Date(previousExpiresAt).getTime() > openedAt
  const chosen = GRACE_OPTIONS.find((option) => option.value === gracePeriod) ?? GRACE_OPTIONS[0]!

  function confirm() {
    regenerate.mutate(
      { id: apiKey.id, gracePeriod },
      {
        onSuccess: () => {
          setConfirming(false)
          toast.success('API secret regenerated')
        },
      },
    )
  }

  return (
    <section className="regenerate" aria-labelledby={`${apiKey.id}-regenerate`}>
      <h3 id={`${apiKey.id}-regenerate`} className={standalone ? 'sr-only' : 'section-title'}>
        Regenerate secret
      </h3>
      <p className="muted">
        Replace the secret if it may have leaked or when you rotate credentials. Integrations must switch to the new secret.{' '}
        {standalone ? null : <strong>This takes effect immediately; Cancel below does not undo it.</strong>}
      </p>

      {graceActive && previousExpiresAt ? (
        <p className="callout callout-info">
          <Clock size={16} aria-hidden />
          <span>Previous secret works until {formatDateTime(previousExpiresAt)}</span>
        </p>
      ) : null}

      {result ? (
        <div className="stack" ref={resultRef}>
          <CredentialField label="New API Secret" value={result.secret} copyLabel="Copy API secret" what="API secret" />
          <SecretWarning />
        </div>
      ) : (
        <>
          <fieldset className="radio-group">
            <legend className="field-label">When the current secret stops working</legend>
            {GRACE_OPTIONS.map((option) => (
              <label key={option.value} className="radio">
                <input
                  type="radio"
                  name={`${apiKey.id}-grace`}
                  value={option.value}
                  checked={gracePeriod === option.value}
                  onChange={() => setGracePeriod(option.value)}
                />
                <span>{option.label}</span>
              </label>
            ))}
          </fieldset>
          <div>
            <Button icon={<RefreshCw size={16} aria-hidden />} onClick={() => setConfirming(true)}>
              Regenerate secret
            </Button>
          </div>
        </>
      )}

      <ConfirmDialog
        open={confirming}
        onOpenChange={(open) => {
          setConfirming(open)
          if (!open) regenerate.reset()
        }}
        title="Regenerate secret?"
        description={
          <>
            <p>
              A new secret is created for “{apiKey.description}”. {chosen.consequence}
            </p>
            <p>
              {standalone
                ? 'This takes effect as soon as you confirm.'
                : 'This takes effect as soon as you confirm: Cancel in the Edit dialog does not undo it.'}
            </p>
          </>
        }
        // The Regenerate button is gone once the new secret shows: go to its Copy button.
        returnFocus={() => resultRef.current?.querySelector('button')}
        confirmLabel="Regenerate"
        tone="primary"
        onConfirm={confirm}
        pending={regenerate.isPending}
        error={regenerate.error?.message}
      />
    </section>
  )
}
