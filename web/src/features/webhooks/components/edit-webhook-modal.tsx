import type { UpdateWebhookBody, Webhook } from '@deskflow/shared'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Modal, ModalBody, ModalFooter } from '@/components/ui/modal'
import { useUpdateWebhook } from '../api/update-webhook'
import { WebhookForm, type WebhookFormValues } from './webhook-form'

const FORM_ID = 'edit-webhook-form'

/** Only what the admin changed, so a save never overwrites a field someone else set meanwhile. */
export function changedFields(webhook: Webhook, values: WebhookFormValues): UpdateWebhookBody {
  return {
    ...(values.url !== webhook.url && { url: values.url }),
    ...(values.event !== webhook.event && { event: values.event }),
  }
}

export function EditWebhookModal({ storeKey, webhook, onClose }: { storeKey: string; webhook: Webhook | null; onClose: () => void }) {
  const updateMutation = useUpdateWebhook(storeKey)

  function close() {
    if (updateMutation.isPending) return
    updateMutation.reset()
    onClose()
  }

  function submit(values: WebhookFormValues) {
    if (!webhook) return
    const body = changedFields(webhook, values)
    if (Object.keys(body).length === 0) {
      toast('No changes to save')
      onClose()
      return
    }
    updateMutation.mutate(
      { id: webhook.id, body },
      {
        onSuccess: () => {
          toast.success('Webhook updated')
          updateMutation.reset()
          onClose()
        },
      },
    )
  }

  return (
    <Modal open={webhook !== null} onOpenChange={(open) => (open ? undefined : close())} title="Edit webhook">
      {webhook ? (
        <>
          <ModalBody>
            <WebhookForm
              key={webhook.id}
              id={FORM_ID}
              initial={{ url: webhook.url, event: webhook.event }}
              onSubmit={submit}
              pending={updateMutation.isPending}
              error={updateMutation.error}
              onEdit={() => updateMutation.isError && updateMutation.reset()}
            />
          </ModalBody>
          <ModalFooter>
            <Button onClick={close} disabled={updateMutation.isPending}>
              Cancel
            </Button>
            <Button type="submit" form={FORM_ID} variant="primary" loading={updateMutation.isPending}>
              Save
            </Button>
          </ModalFooter>
        </>
      ) : null}
    </Modal>
  )
}
