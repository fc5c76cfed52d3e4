import { useState } from 'react'
import { RATE_LIMIT_DEFAULT, type CreateApiKeyBody, type CreatedApiKey } from '@deskflow/shared'
import { toast } from 'sonner'
import { KeyRound } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Modal, ModalBody, ModalFooter } from '@/components/ui/modal'
import { useCreateApiKey } from '../api/create-api-key'
import { ApiKeyForm, NEW_KEY_VALUES, type ApiKeyFormValues } from './api-key-form'
import { CredentialField, SecretWarning } from '@/components/ui/credential-field'

const FORM_ID = 'create-api-key-form'

/** Access settings left at their defaults are not sent: the server's defaults apply. */
export function createBody({ expiresAt, allowedIps, rateLimitPerMinute, ...rest }: ApiKeyFormValues): CreateApiKeyBody {
  return {
    ...rest,
    ...(expiresAt !== null && { expiresAt }),
    ...(allowedIps.length > 0 && { allowedIps }),
    ...(rateLimitPerMinute !== RATE_LIMIT_DEFAULT && { rateLimitPerMinute }),
  }
}

export function CreateApiKeyModal({ storeKey, open, onOpenChange }: { storeKey: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  const [created, setCreated] = useState<CreatedApiKey | null>(null)
  const createMutation = useCreateApiKey(storeKey)

  function close(next: boolean) {
    if (next) return onOpenChange(true)
    if (createMutation.isPending) return
    onOpenChange(false)
    setCreated(null)
    createMutation.reset()
  }

  function submit(values: ApiKeyFormValues) {
    createMutation.mutate(createBody(values), {
      onSuccess: (result) => {
        setCreated(result)
        toast.success('API key created')
      },
    })
  }

  return (
    <Modal
      open={open}
      onOpenChange={close}
      title="Add API key"
      description={created ? undefined : 'Integrations authenticate with the key and its secret (HTTP Basic: key as user name, secret as password).'}
    >
      {created ? (
        <>
          <ModalBody>
            <div className="stack">
              <div className="success-head">
                <span className="success-icon">
                  <KeyRound size={18} aria-hidden />
                </span>
                <div>
                  <h3 className="section-title">Copy your credentials now</h3>
                  <p className="muted">“{created.description}” is ready{created.activated ? ' and active' : ' but not activated yet'}.</p>
                </div>
              </div>
              <CredentialField label="API Key" value={created.key} copyLabel="Copy API key" what="API key" />
              <CredentialField label="API Secret" value={created.secret} copyLabel="Copy API secret" what="API secret" />
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
            <ApiKeyForm
              id={FORM_ID}
              initial={NEW_KEY_VALUES}
              onSubmit={submit}
              pending={createMutation.isPending}
              error={createMutation.error}
              onEdit={() => createMutation.isError && createMutation.reset()}
              note={<p className="note">The key and secret are generated when you save.</p>}
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
