import { useState } from 'react'
import { eventLabel, type CreatedWebhook } from '@deskflow/shared'
import { toast } from 'sonner'
import { Webhook as WebhookIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { CredentialField, SecretWarning } from '@/components/ui/credential-field'
import { Modal, ModalBody, ModalFooter } from '@/components/ui/modal'
import { useCreateWebhook } from '../api/create-webhook'
import { NEW_WEBHOOK_VALUES, WebhookForm, type WebhookFormValues } from './webhook-form'

const FORM_ID = 'create-webhook-form'

export function SigningSecretNote() {
  return (
    <p className="field-hint">
      Your endpoint uses it to verify the <code>webhook-signature</code> header of every request (Standard Webhooks), so it can tell our events from forged ones.
    </p>
  )
}

export function CreateWebhookModal({ storeKey, open, onOpenChange }: { storeKey: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  const [created, setCreated] = useState<CreatedWebhook | null>(null)
  const createMutation = useCreateWebhook(storeKey)

  function close(next: boolean) {
    if (next) return onOpenChange(true)
    if (createMutation.isPending) return
    onOpenChange(false)
    setCreated(null)
    createMutation.reset()
  }

  function submit(values: WebhookFormValues) {
    createMutation.mutate(values, {
      onSuccess: (result) => {
        setCreated(result)
        toast.success('Webhook created')
      },
    })
  }

  return (
    <Modal
      open={open}
      onOpenChange={close}
      title="Add webhook"
      description={created ? undefined : 'We send a signed POST request to your URL each time the event happens in this store.'}
    >
      {created ? (
        <>
          <ModalBody>
            <div className="stack">
              <div className="success-head">
                <span className="success-icon">
                  <WebhookIcon size={18} aria-hidden />
                </span>
                <div>
                  <h3 className="section-title">Copy the signing secret now</h3>
                  <p className="muted">
                    <span className="break-all">{created.url}</span> receives {eventLabel(created.event)} events from now on.
                  </p>
                </div>
              </div>
              <div className="stack stack-tight">
                <CredentialField label="Signing secret" value={created.secret} copyLabel="Copy signing secret" what="Signing secret" />
                <SigningSecretNote />
              </div>
              <SecretWarning />
            </div>
          </ModalBody>
          <ModalFooter>
            <Button variant="primary" onClick={() => close(false)}>
              Done
            </Button>
          </ModalFooter>
        </>
      ) : (
        <>
          <ModalBody>
            <WebhookForm
              id={FORM_ID}
              initial={NEW_WEBHOOK_VALUES}
              onSubmit={submit}
              pending={createMutation.isPending}
              error={createMutation.error}
              onEdit={() => createMutation.isError && createMutation.reset()}
              note={<p className="note">A signing secret is generated when you save.</p>}
            />
          </ModalBody>
          <ModalFooter>
            <Button onClick={() => close(false)} disabled={createMutation.isPending}>
              Cancel
            </Button>
            <Button type="submit" form={FORM_ID} variant="primary" loading={createMutation.isPending}>
              Save
            </Button>
          </ModalFooter>
        </>
      )}
    </Modal>
  )
}
