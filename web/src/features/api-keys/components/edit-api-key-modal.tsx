import type { ApiKey, UpdateApiKeyBody } from '@deskflow/shared'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Modal, ModalBody, ModalFooter } from '@/components/ui/modal'
import { useUpdateApiKey } from '../api/update-api-key'
import { ApiKeyForm, type ApiKeyFormValues } from './api-key-form'
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

  function close() {
    if (updateMutation.isPending) return
    updateMutation.reset()
    onClose()
  }

  function submit(values: ApiKeyFormValues) {
    if (!apiKey) return
    const body = changedFields(apiKey, values)
    if (Object.keys(body).length === 0) {
      toast('No changes to save')
      onClose()
      return
    }
    updateMutation.mutate(
      { id: apiKey.id, body },
      {
        onSuccess: () => {
          toast.success('API key updated')
          updateMutation.reset()
          onClose()
        },
      },
    )
  }

  return (
    <Modal open={apiKey !== null} onOpenChange={(open) => (open ? undefined : close())} title="Edit API key">
      {apiKey ? (
        <>
          <ModalBody>
            <ApiKeyForm
              key={`${apiKey.id}-form`}
              id={FORM_ID}
              initial={{
                description: apiKey.description,
                permissions: apiKey.permissions,
                activated: apiKey.activated,
                expiresAt: apiKey.expiresAt,
                allowedIps: apiKey.allowedIps,
                rateLimitPerMinute: apiKey.rateLimitPerMinute,
              }}
              onSubmit={submit}
              pending={updateMutation.isPending}
              error={updateMutation.error}
              onEdit={() => updateMutation.isError && updateMutation.reset()}
            />
            <hr className="divider" />
            <RegenerateSecretSection key={`${apiKey.id}-regenerate`} storeKey={storeKey} apiKey={apiKey} />
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
