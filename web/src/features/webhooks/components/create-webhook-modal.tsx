import { eventsSummary } from '@deskflow/shared'
import { Webhook as WebhookIcon } from 'lucide-react'
import { CredentialField, SecretWarning } from '@/components/ui/credential-field'
import { CreateFormModal, saveState, type CreateModalProps } from '@/components/ui/form-modal'
import { useCreateWebhook } from '../api/create-webhook'
import { NEW_WEBHOOK_VALUES, WebhookForm, formError } from './webhook-form'

const FORM_ID = 'create-webhook-form'

export function SigningSecretNote() {
  return (
    <p className="field-hint">
      Your endpoint uses it to verify the <code>webhook-signature</code> header of every request (Standard Webhooks), so it can tell our
      events from forged ones.
    </p>
  )
}

export function CreateWebhookModal({ storeKey, open, onOpenChange }: CreateModalProps) {
  const createMutation = useCreateWebhook(storeKey)

  return (
    <CreateFormModal
      open={open}
      onOpenChange={onOpenChange}
      title="Add webhook"
      description="We send a signed POST request to your URL each time one of its events happens in this store."
      formId={FORM_ID}
      mutation={createMutation}
      createdToast="Webhook created"
      formError={formError}
      form={(submit) => (
        <WebhookForm
          id={FORM_ID}
          initial={NEW_WEBHOOK_VALUES}
          onSubmit={submit}
          {...saveState(createMutation)}
          note={<p className="note">A signing secret is generated when you save.</p>}
        />
      )}
      created={(created) => ({
        icon: <WebhookIcon size={18} aria-hidden />,
        heading: 'Copy the signing secret now',
        summary: (
          <>
            <span className="break-all">{created.url}</span> receives {eventsSummary(created.events)} events from now on.
          </>
        ),
        credentials: (
          <>
            <div className="stack stack-tight">
              <CredentialField label="Signing secret" value={created.secret} copyLabel="Copy signing secret" what="Signing secret" />
              <SigningSecretNote />
            </div>
            <SecretWarning />
          </>
        ),
      })}
    />
  )
}
