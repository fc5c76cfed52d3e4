import type { ReactNode } from 'react'
import * as Dialog from '@radix-ui/react-dialog'
import { X } from 'lucide-react'
import { useReturnFocus } from './use-return-focus'

export interface ModalProps {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: string
  description?: ReactNode
  children: ReactNode
  size?: 'sm' | 'md' | 'lg'
  /** Takes focus on close when what opened the dialog is gone, e.g. the button that replaced it. */
  returnFocus?: () => HTMLElement | null | undefined
}

/** A dialog with a focus trap, Escape to close and a labelled title (Radix Dialog). */
export function Modal({ open, onOpenChange, title, description, children, size = 'md', returnFocus: fallback }: ModalProps) {
  const returnFocus = useReturnFocus(fallback)
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content
          className={`modal modal-${size}`}
          {...(description ? {} : { 'aria-describedby': undefined })}
          // A stray click outside should not throw away a half-filled form or an unseen secret.
          onInteractOutside={(event) => event.preventDefault()}
          {...returnFocus}
        >
          <header className="modal-header">
            <Dialog.Title className="modal-title">{title}</Dialog.Title>
            <Dialog.Close className="icon-btn modal-close" aria-label="Close">
              <X size={18} aria-hidden />
            </Dialog.Close>
          </header>
          {description ? <Dialog.Description className="modal-description">{description}</Dialog.Description> : null}
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}

export function ModalBody({ children }: { children: ReactNode }) {
  return <div className="modal-body">{children}</div>
}

/** The dialog's buttons; `error` (a failed save) stands beside them, where it can't scroll out of sight. */
export function ModalFooter({ children, error }: { children: ReactNode; error?: string | undefined }) {
  return (
    <footer className="modal-footer">
      {error ? (
        <p className="form-error modal-footer-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="modal-footer-actions">{children}</div>
    </footer>
  )
}
