import { useRef, useState } from 'react'
import { Link } from 'react-router'
import { WEBHOOK_SECRET_PREFIX, type Webhook, type WebhookSecret } from '@deskflow/shared'
import { toast } from 'sonner'
import { Clock, Eye, EyeOff, RefreshCw } from 'lucide-react'
import { Button, IconButton } from '@/components/ui/button'
import { ConfirmDialog } from '@/components/ui/confirm-dialog'
import { CopyButton } from '@/components/ui/copy-button'
import { CredentialField, SecretWarning } from '@/components/ui/credential-field'
import { MaskedValue } from '@/components/ui/masked-value'
import { auditLogPath } from '@/lib/audit-log-path'
import { useViewerReason } from '@/lib/store-role'
import { Modal, ModalBody, ModalFooter } from '@/components/ui/modal'
import { PasswordDialog } from '@/components/ui/password-dialog'
import { formatDateTime, maskCredential } from '@/lib/format'
import { useRevealWebhookSecret } from '../api/reveal-webhook-secret'
import { useRotateWebhookSecret } from '../api/rotate-webhook-secret'
import { SigningSecretNote } from './create-webhook-modal'

/** The masked secret with "show" (behind the password) and "rotate" (behind a confirmation). */
export function SigningSecret({ storeKey, webhook, now }: { storeKey: string; webhook: Webhook; now: number }) {
  // Remember which secret was revealed: after a rotation the old one must not stay on screen.
  const [revealed, setRevealed] = useState<{ secret: string; last4: string } | null>(null)
  const secret = revealed && revealed.last4 === webhook.secretLast4 ? revealed.secret : null
  const [askingPassword, setAskingPassword] = useState(false)
  const [confirmingRotate, setConfirmingRotate] = useState(false)
  const [rotated, setRotated] = useState<WebhookSecret | null>(null)
  const copyButton = useRef<HTMLButtonElement>(null)
  const rotateButton = useRef<HTMLButtonElement>(null)
  const reveal = useRevealWebhookSecret(storeKey, webhook.id)
  const rotate = useRotateWebhookSecret(storeKey, webhook.id)
  const cantChange = useViewerReason()
  const cantSeeSecret = useViewerReason('secret')
  const previousUntil =
    webhook.previousSecretExpiresAt && new Date(webhook.previousSecretExpiresAt).getTime() > now ? webhook.previousSecretExpiresAt : null

  return (
    <div className="secret-fact">
      <div className="credential-cell">
        <MaskedValue value={secret} masked={maskCredential(WEBHOOK_SECRET_PREFIX, webhook.secretLast4)} revealed={secret !== null} />
        {secret === null ? (
          <IconButton
            label="Show signing secret"
            tooltip="Show secret"
            icon={<Eye size={16} aria-hidden />}
            onClick={() => setAskingPassword(true)}
            disabledReason={cantSeeSecret}
          />
        ) : (
          <>
            <IconButton
              label="Hide signing secret"
              tooltip="Hide secret"
              icon={<EyeOff size={16} aria-hidden />}
              onClick={() => setRevealed(null)}
            />
            <CopyButton ref={copyButton} compact value={secret} label="Copy signing secret" what="Signing secret" />
          </>
        )}
        <Button
          ref={rotateButton}
          size="sm"
          variant="ghost"
          icon={<RefreshCw size={14} aria-hidden />}
          onClick={() => setConfirmingRotate(true)}
          disabledReason={cantChange}
        >
          Rotate secret
        </Button>
      </div>
      {previousUntil ? (
        <p className="field-hint secret-previous">
          <Clock size={13} aria-hidden /> The previous secret also signs until {formatDateTime(previousUntil)}.
        </p>
      ) : null}

      <PasswordDialog
        open={askingPassword}
        onOpenChange={setAskingPassword}
        // "Show" became "Hide" and "Copy": land on Copy, the likely next step.
        returnFocus={() => copyButton.current}
        description={
          <>
            Enter your password to show the signing secret of {webhook.url}. Each reveal is recorded in the{' '}
            <Link to={auditLogPath(storeKey, { targetId: webhook.id })}>audit log</Link>.
          </>
        }
        confirmLabel="Show secret"
        pending={reveal.isPending}
        error={reveal.error}
        onReset={reveal.reset}
        onSubmit={(password) =>
          reveal.mutate(password, {
            onSuccess: (result) => {
              setRevealed({ secret: result.secret, last4: result.secret.slice(-4) })
              reveal.reset()
              setAskingPassword(false)
            },
          })
        }
      />

      <ConfirmDialog
        open={confirmingRotate}
        onOpenChange={(open) => {
          setConfirmingRotate(open)
          if (!open) rotate.reset()
        }}
        title="Rotate signing secret?"
        description={
          <>
            <p>A new secret signs every delivery from now on.</p>
            <p>
              The current secret keeps signing too, for 24 hours: each request carries both signatures, so your endpoint keeps verifying
              while you switch it to the new secret.
            </p>
          </>
        }
        confirmLabel="Rotate"
        tone="primary"
        pending={rotate.isPending}
        error={rotate.error?.message}
        onConfirm={() =>
          rotate.mutate(undefined, {
            onSuccess: (result) => {
              setConfirmingRotate(false)
              setRotated(result)
              toast.success('Signing secret rotated')
            },
          })
        }
      />

      <Modal
        open={rotated !== null}
        onOpenChange={(open) => (open ? undefined : setRotated(null))}
        title="New signing secret"
        // It was opened by the confirmation, which is gone by now.
        returnFocus={() => rotateButton.current}
      >
        {rotated ? (
          <>
            <ModalBody>
              <div className="stack">
                <div className="stack stack-tight">
                  <CredentialField
                    label="New signing secret"
                    value={rotated.secret}
                    copyLabel="Copy new signing secret"
                    what="Signing secret"
                  />
                  <SigningSecretNote />
                </div>
                {rotated.previousSecretExpiresAt ? (
                  <p className="callout callout-info">
                    <Clock size={16} aria-hidden />
                    <span>The previous secret also signs until {formatDateTime(rotated.previousSecretExpiresAt)}.</span>
                  </p>
                ) : null}
                <SecretWarning />
              </div>
            </ModalBody>
            <ModalFooter>
              <Button variant="primary" onClick={() => setRotated(null)}>
                Done
              </Button>
            </ModalFooter>
          </>
        ) : null}
      </Modal>
    </div>
  )
}
