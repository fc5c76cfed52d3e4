import { useId, useState, type FormEvent, type ReactNode } from 'react'
import { isApiError } from '@/lib/api-client'
import { Button } from './button'
import { CurrentPasswordField } from './field'
import { Modal, ModalBody, ModalFooter } from './modal'

/** A wrong password belongs at the field; anything else (network, 5xx) above the buttons. */
export function passwordError(error: unknown): { field?: string; form?: string } {
  if (!error) return {}
  if (!isApiError(error)) return { form: 'Something went wrong. Try again.' }
  const atField = error.fieldError('password')
  if (atField) return { field: atField }
  if (error.code === 'invalid_password') return { field: error.message || 'That password is incorrect.' }
  return { form: error.message }
}

export interface PasswordDialogProps {
  open: boolean
  onOpenChange: (open: boolean) => void
  description: ReactNode
  /** The submit button, e.g. "Show secret". */
  confirmLabel: string
  onSubmit: (password: string) => void
  pending: boolean
  error: unknown
  /** Forgets the last server answer: called when the password is edited or the dialog closes. */
  onReset: () => void
  title?: string
  /** Takes focus after closing when the button that opened the dialog is gone (e.g. "Show" became "Copy"). */
  returnFocus?: () => HTMLElement | null | undefined
}

/** Asks for the admin's password before something sensitive, such as showing a secret. */
export function PasswordDialog({
  open,
  onOpenChange,
  title = 'Confirm your password',
  description,
  returnFocus,
  ...form
}: PasswordDialogProps) {
  function close(next: boolean) {
    if (next || form.pending) return
    form.onReset()
    onOpenChange(false)
  }
  return (
    <Modal open={open} onOpenChange={close} size="sm" title={title} description={description} returnFocus={returnFocus}>
      {/* Mounted only while open, so the typed password is gone once the dialog closes. */}
      <PasswordForm {...form} onCancel={() => close(false)} />
    </Modal>
  )
}

type PasswordFormProps = Omit<PasswordDialogProps, 'open' | 'onOpenChange' | 'description' | 'title' | 'returnFocus'> & {
  onCancel: () => void
}

function PasswordForm({ confirmLabel, onSubmit, pending, error, onReset, onCancel }: PasswordFormProps) {
  const [password, setPassword] = useState('')
  const formId = useId()
  const errors = passwordError(error)

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    onSubmit(password)
  }

  return (
    <>
      <ModalBody>
        <form id={formId} className="stack" onSubmit={submit}>
          <CurrentPasswordField
            value={password}
            onChange={(e) => {
              setPassword(e.target.value)
              if (error) onReset()
            }}
            error={errors.field}
          />
        </form>
      </ModalBody>
      <ModalFooter error={errors.form}>
        <Button onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" form={formId} variant="primary" loading={pending} disabled={password.length === 0}>
          {confirmLabel}
        </Button>
      </ModalFooter>
    </>
  )
}
