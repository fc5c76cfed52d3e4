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
}

/** A dialog with a focus trap, Escape to close and a labelled title (Radix Dialog). */
export function Modal({ open, onOpenChange, title, description, children, size = 'md' }: ModalProps) {
  const returnFocus = useReturnFocus()
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

export function ModalFooter({ children }: { children: ReactNode }) {
  return <footer className="modal-footer">{children}</footer>
}
