import type { ApiKey, UpdateApiKeyBody } from '@deskflow/shared'
import { EditFormModal, saveState } from '@/components/ui/form-modal'
import { useUpdateApiKey } from '../api/update-api-key'
import { ApiKeyForm, formError, type ApiKeyFormValues } from './api-key-form'
import { RegenerateSecretSection } from './regenerate-secret-section'

const FORM_ID = 'edit-api-key-form'

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((item, i) => item === b[i])

/** Only what the admin changed, so a save never overwrites a field someone else set meanwhile. */
export function changedFields(apiKey: ApiKey, values: ApiKeyFormValues): UpdateApiKeyBody {
  return {
    ...(values.description !== apiKey.description && { description: values.description }),
    ...(!sameList([...values.permissions].sort(), [...apiKey.permissions].sort()) && { permissions: values.permissions }),
    ...(values.activated !== apiKey.activated && { activated: values.activated }),
    ...(values.expiresAt !== apiKey.expiresAt && { expiresAt: values.expiresAt }),
    ...(!sameList(values.allowedIps, apiKey.allowedIps) && { allowedIps: values.allowedIps }),
    ...(values.rateLimitPerMinute !== apiKey.rateLimitPerMinute && { rateLimitPerMinute: values.rateLimitPerMinute }),
  }
}

export function EditApiKeyModal({ storeKey, apiKey, onClose }: { storeKey: string; apiKey: ApiKey | null; onClose: () => void }) {
  const updateMutation = useUpdateApiKey(storeKey)

  return (
    <EditFormModal
      item={apiKey}
      onClose={onClose}
      title="Edit API key"
      formId={FORM_ID}
      mutation={updateMutation}
      updatedToast="API key updated"
      formError={formError}
      form={(current, submit) => (
        <ApiKeyForm
          key={`${current.id}-form`}
          id={FORM_ID}
          initial={{
            description: current.description,
            permissions: current.permissions,
            activated: current.activated,
            expiresAt: current.expiresAt,
            allowedIps: current.allowedIps,
            rateLimitPerMinute: current.rateLimitPerMinute,
          }}
          onSubmit={(values) => submit(changedFields(current, values))}
          {...saveState(updateMutation)}
        />
      )}
    >
      {(current) => (
        <>
          <hr className="divider" />
          <RegenerateSecretSection key={`${current.id}-regenerate`} storeKey={storeKey} apiKey={current} />
        </>
      )}
    </EditFormModal>
  )
}
