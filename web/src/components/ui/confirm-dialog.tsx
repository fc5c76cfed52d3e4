import type { ReactNode } from 'react'
import * as AlertDialog from '@radix-ui/react-alert-dialog'
import { Button } from './button'
import { useReturnFocus } from './use-return-focus'

export interface ConfirmDialogProps {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: string
  description: ReactNode
  confirmLabel: string
  onConfirm: () => void
  pending?: boolean
  tone?: 'danger' | 'primary'
  error?: string | undefined
  /** Takes focus after closing when the button that opened the dialog is gone. */
  returnFocus?: () => HTMLElement | null | undefined
}

/** Asks before a destructive action; stays open while the action runs so a failure can be shown. */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  onConfirm,
  pending = false,
  tone = 'danger',
  error,
  returnFocus: fallback,
}: ConfirmDialogProps) {
  const returnFocus = useReturnFocus(fallback)
  return (
    <AlertDialog.Root open={open} onOpenChange={(next) => (pending ? undefined : onOpenChange(next))}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="overlay" />
        <AlertDialog.Content className="modal modal-sm" {...returnFocus}>
          <header className="modal-header">
            <AlertDialog.Title className="modal-title">{title}</AlertDialog.Title>
          </header>
          <AlertDialog.Description asChild>
            <div className="modal-description">{description}</div>
          </AlertDialog.Description>
          {error ? (
            <div className="modal-body">
              <p className="form-error" role="alert">
                {error}
              </p>
            </div>
          ) : null}
          <footer className="modal-footer">
            <AlertDialog.Cancel asChild>
              <Button disabled={pending}>Cancel</Button>
            </AlertDialog.Cancel>
            <Button variant={tone} loading={pending} onClick={onConfirm}>
              {confirmLabel}
            </Button>
          </footer>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  )
}
