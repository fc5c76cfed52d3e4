import type { ApiKey } from '@deskflow/shared'
import { Link } from 'react-router'
import { auditLogPath } from '@/lib/audit-log-path'
import { PasswordDialog } from '@/components/ui/password-dialog'
import { useRevealApiSecret } from '../api/reveal-api-secret'

export interface RevealSecretDialogProps {
  storeKey: string
  apiKey: ApiKey
  open: boolean
  onOpenChange: (open: boolean) => void
  onRevealed: (secret: string) => void
  /** Takes focus after a reveal, when the "Show" button that opened the dialog is gone. */
  returnFocus: () => HTMLElement | null
}

/** The full secret costs the admin's password each time (and an audit log entry on the server). */
export function RevealSecretDialog({ storeKey, apiKey, open, onOpenChange, onRevealed, returnFocus }: RevealSecretDialogProps) {
  const reveal = useRevealApiSecret(storeKey)
  return (
    <PasswordDialog
      open={open}
      onOpenChange={onOpenChange}
      returnFocus={returnFocus}
      description={
        <>
          Enter your password to show the secret of “{apiKey.description}”. Each reveal is recorded in the{' '}
          <Link to={auditLogPath(storeKey, { targetId: apiKey.id })}>audit log</Link>.
        </>
      }
      confirmLabel="Show secret"
      pending={reveal.isPending}
      error={reveal.error}
      onReset={reveal.reset}
      onSubmit={(password) =>
        reveal.mutate(
          { id: apiKey.id, password },
          {
            onSuccess: (result) => {
              onRevealed(result.secret)
              reveal.reset()
              onOpenChange(false)
            },
          },
        )
      }
    />
  )
}
