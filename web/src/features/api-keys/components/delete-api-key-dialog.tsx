import type { ApiKey } from '@deskflow/shared'
import { toast } from 'sonner'
import { ConfirmDialog } from '@/components/ui/confirm-dialog'
import { useDeleteApiKey } from '../api/delete-api-key'

export function DeleteApiKeyDialog({ storeKey, apiKey, onClose }: { storeKey: string; apiKey: ApiKey | null; onClose: () => void }) {
  const deleteMutation = useDeleteApiKey(storeKey)

  return (
    <ConfirmDialog
      open={apiKey !== null}
      onOpenChange={(open) => {
        if (open) return
        deleteMutation.reset()
        onClose()
      }}
      title={apiKey ? `Delete “${apiKey.description}”?` : 'Delete API key?'}
      description={
        <>
          <p>Integrations using this key stop working immediately: every request made with it is refused from now on.</p>
          <p>This can’t be undone.</p>
        </>
      }
      confirmLabel="Delete"
      onConfirm={() => {
        if (!apiKey) return
        // Not mutate()'s onSuccess: deleting the last key swaps the table (and this dialog)
        // for the empty state, and an unmounted observer's callbacks never run.
        deleteMutation.mutateAsync(apiKey.id).then(
          () => {
            toast.success('API key deleted')
            onClose()
          },
          () => {},
        )
      }}
      pending={deleteMutation.isPending}
      error={deleteMutation.error?.message}
    />
  )
}
