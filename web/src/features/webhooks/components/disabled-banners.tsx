import { useId } from 'react'
import type { Webhook } from '@deskflow/shared'
import { toast } from 'sonner'
import { TriangleAlert } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { useViewerReason } from '@/lib/store-role'
import { useUpdateWebhook } from '../api/update-webhook'

/** Re-enabling is a resume: the server clears the failure state and delivers new events again. */
export function useReEnable(storeKey: string) {
  const update = useUpdateWebhook(storeKey)
  return {
    pendingId: update.isPending ? update.variables.id : null,
    reEnable: (webhook: Webhook) =>
      update.mutate(
        { id: webhook.id, body: { status: 'active' } },
        {
          onSuccess: () => toast.success('Webhook re-enabled'),
          onError: (error) => toast.error(`Couldn't re-enable the webhook: ${error.message}`),
        },
      ),
  }
}

export function disabledMessage(webhook: Webhook): string {
  return `${webhook.url} was disabled${webhook.disabledReason ? `: ${webhook.disabledReason}` : '.'}`
}

export function DisabledBanner({ webhook, onReEnable, pending }: { webhook: Webhook; onReEnable: () => void; pending: boolean }) {
  const textId = useId()
  return (
    <div className="callout callout-warning banner" role="note">
      <TriangleAlert size={16} aria-hidden />
      <p id={textId} className="banner-text">
        {disabledMessage(webhook)}
      </p>
      {/* Several banners may show; the description tells their buttons apart. */}
      <Button size="sm" loading={pending} onClick={onReEnable} aria-describedby={textId} disabledReason={useViewerReason()}>
        Re-enable
      </Button>
    </div>
  )
}

export function DisabledBanners({ storeKey, webhooks }: { storeKey: string; webhooks: Webhook[] }) {
  const { pendingId, reEnable } = useReEnable(storeKey)
  const disabled = webhooks.filter((w) => w.status === 'disabled')
  if (disabled.length === 0) return null
  return (
    <div className="banners">
      {disabled.map((webhook) => (
        <DisabledBanner key={webhook.id} webhook={webhook} pending={pendingId === webhook.id} onReEnable={() => reEnable(webhook)} />
      ))}
    </div>
  )
}
