import { useState, type FormEvent } from 'react'
import type { ApiKey } from '@deskflow/shared'
import { Button } from '@/components/ui/button'
import { Field } from '@/components/ui/field'
import { Modal, ModalBody, ModalFooter } from '@/components/ui/modal'
import { isApiError } from '@/lib/api-client'
import { useRevealApiSecret } from '../api/reveal-api-secret'

function passwordError(error: unknown): { field?: string; form?: string } {
  if (!error) return {}
  if (!isApiError(error)) return { form: 'Something went wrong. Try again.' }
  const atField = error.fieldError('password')
  if (atField) return { field: atField }
  if (error.code === 'invalid_password') return { field: error.message || 'That password is incorrect.' }
  return { form: error.message }
}

export interface RevealSecretDialogProps {
  storeKey: string
  apiKey: ApiKey
  open: boolean
  onOpenChange: (open: boolean) => void
  onRevealed: (secret: string) => void
}

/** The full secret costs the admin's password each time (and an audit log entry on the server). */
export function RevealSecretDialog({ storeKey, apiKey, open, onOpenChange, onRevealed }: RevealSecretDialogProps) {
  const [password, setPassword] = useState('')
  const reveal = useRevealApiSecret(storeKey)
  const errors = passwordError(reveal.error)
  const formId = `reveal-${apiKey.id}`

  function close(next: boolean) {
    if (next || reveal.isPending) return
    setPassword('')
    reveal.reset()
    onOpenChange(false)
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    reveal.mutate(
      { id: apiKey.id, password },
      {
        onSuccess: (result) => {
          onRevealed(result.secret)
          close(false)
        },
      },
    )
  }

  return (
    <Modal
      open={open}
      onOpenChange={close}
      size="sm"
      title="Confirm your password"
      description={<>Enter your password to show the secret of “{apiKey.description}”. Each reveal is recorded in the audit log.</>}
    >
      <ModalBody>
        <form id={formId} className="stack" onSubmit={submit}>
          <Field
            label="Password"
            type="password"
            name="password"
            autoComplete="current-password"
            required
            autoFocus
            value={password}
            onChange={(e) => {
              setPassword(e.target.value)
              if (reveal.isError) reveal.reset()
            }}
            error={errors.field}
          />
          {errors.form ? (
            <p className="form-error" role="alert">
              {errors.form}
            </p>
          ) : null}
        </form>
      </ModalBody>
      <ModalFooter>
        <Button onClick={() => close(false)} disabled={reveal.isPending}>
          Cancel
        </Button>
        <Button type="submit" form={formId} variant="primary" loading={reveal.isPending} disabled={password.length === 0}>
          Show secret
        </Button>
      </ModalFooter>
    </Modal>
  )
}
