import type { UpdateWebhookBody, Webhook } from '@deskflow/shared'
import { EditFormModal, saveState } from '@/components/ui/form-modal'
import { useUpdateWebhook } from '../api/update-webhook'
import { WebhookForm, formError, type WebhookFormValues } from './webhook-form'

const FORM_ID = 'edit-webhook-form'

/** Only what the admin changed, so a save never overwrites a field someone else set meanwhile. */
export function changedFields(webhook: Webhook, values: WebhookFormValues): UpdateWebhookBody {
  return {
    ...(values.url !== webhook.url && { url: values.url }),
    ...(values.events.join() !== webhook.events.join() && { events: values.events }),
  }
}

export function EditWebhookModal({ storeKey, webhook, onClose }: { storeKey: string; webhook: Webhook | null; onClose: () => void }) {
  const updateMutation = useUpdateWebhook(storeKey)

  return (
    <EditFormModal
      item={webhook}
      onClose={onClose}
      title="Edit webhook"
      formId={FORM_ID}
      mutation={updateMutation}
      updatedToast="Webhook updated"
      formError={formError}
      form={(current, submit) => (
        <WebhookForm
          key={current.id}
          id={FORM_ID}
          initial={{ url: current.url, events: current.events }}
          onSubmit={(values) => submit(changedFields(current, values))}
          {...saveState(updateMutation)}
        />
      )}
    />
  )
}
