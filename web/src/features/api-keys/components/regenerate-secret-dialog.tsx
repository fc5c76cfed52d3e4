import type { ApiKey } from '@deskflow/shared'
import { Button } from '@/components/ui/button'
import { Modal, ModalBody, ModalFooter } from '@/components/ui/modal'
import { RegenerateSecretSection } from './regenerate-secret-section'

/** The row's "Regenerate secret": the grace period, the confirmation and the new secret, without opening Edit. */
export function RegenerateSecretDialog({ storeKey, apiKey, onClose }: { storeKey: string; apiKey: ApiKey | null; onClose: () => void }) {
  return (
    <Modal
      open={apiKey !== null}
      onOpenChange={(open) => (open ? undefined : onClose())}
      title={apiKey ? `Regenerate the secret of “${apiKey.description}”` : 'Regenerate secret'}
    >
      {apiKey ? (
        <ModalBody>
          <RegenerateSecretSection key={apiKey.id} storeKey={storeKey} apiKey={apiKey} standalone />
        </ModalBody>
      ) : null}
      <ModalFooter>
        <Button onClick={onClose}>Close</Button>
      </ModalFooter>
    </Modal>
  )
}
