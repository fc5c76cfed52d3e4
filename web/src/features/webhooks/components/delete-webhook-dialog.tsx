import type { Webhook } from '@deskflow/shared'
import { toast } from 'sonner'
import { ConfirmDialog } from '@/components/ui/confirm-dialog'
import { useDeleteWebhook } from '../api/delete-webhook'

export interface DeleteWebhookDialogProps {
  storeKey: string
  webhook: Webhook | null
  onClose: () => void
  /** After the toast, e.g. to leave the deleted webhook's page. */
  onDeleted?: () => void
}

export function DeleteWebhookDialog({ storeKey, webhook, onClose, onDeleted }: DeleteWebhookDialogProps) {
  const deleteMutation = useDeleteWebhook(storeKey)

  return (
    <ConfirmDialog
      open={webhook !== null}
      onOpenChange={(open) => {
        if (open) return
        deleteMutation.reset()
        onClose()
      }}
      title="Delete webhook?"
      description={
        <>
          <p>
            <strong className="break-all">{webhook?.url}</strong> stops receiving events immediately, and its delivery log is deleted.
          </p>
          <p>This can’t be undone.</p>
        </>
      }
      confirmLabel="Delete"
      onConfirm={() => {
        if (!webhook) return
        // Not mutate()'s onSuccess: deleting the last webhook swaps the table (and this dialog)
        // for the empty state, and an unmounted observer's callbacks never run.
        deleteMutation.mutateAsync(webhook.id).then(
          () => {
            toast.success('Webhook deleted')
            onClose()
            onDeleted?.()
          },
          () => {},
        )
      }}
      pending={deleteMutation.isPending}
      error={deleteMutation.error?.message}
    />
  )
}
