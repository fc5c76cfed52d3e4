import { useState } from 'react'
import { Plus, Webhook as WebhookIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { EmptyState } from '@/components/ui/empty-state'
import { LoadErrorState } from '@/components/ui/error-state'
import { SkeletonRows } from '@/components/ui/skeleton-rows'
import { StoreNotFound } from '@/components/store-not-found'
import { isApiError } from '@/lib/api-client'
import { useViewerReason } from '@/lib/store-role'
import { useWebhooks } from '../api/get-webhooks'
import { CreateWebhookModal } from './create-webhook-modal'
import { DisabledBanners } from './disabled-banners'
import { WebhooksTable } from './webhooks-table'

function AddWebhookButton({ onClick }: { onClick: () => void }) {
  return (
    <Button variant="primary" icon={<Plus size={16} aria-hidden />} onClick={onClick} disabledReason={useViewerReason()} data-page-action>
      Add Webhook
    </Button>
  )
}

export function WebhooksSection({ storeKey }: { storeKey: string }) {
  const [creating, setCreating] = useState(false)
  const webhooks = useWebhooks(storeKey)

  if (isApiError(webhooks.error) && webhooks.error.status === 404) return <StoreNotFound storeKey={storeKey} />

  let content
  if (webhooks.isPending) content = <SkeletonRows label="Loading webhooks" />
  else if (webhooks.isError)
    content = (
      <LoadErrorState error={webhooks.error} what="webhooks" onRetry={() => void webhooks.refetch()} retrying={webhooks.isFetching} />
    )
  else if (webhooks.data.length === 0)
    content = (
      <EmptyState
        icon={<WebhookIcon size={22} aria-hidden />}
        title="No webhooks yet"
        action={<AddWebhookButton onClick={() => setCreating(true)} />}
      >
        <p>Add a webhook to have an event, such as Order Create, sent to your server the moment it happens.</p>
      </EmptyState>
    )
  else content = <WebhooksTable storeKey={storeKey} webhooks={webhooks.data} />

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">Webhooks</h1>
          <p className="page-lead">
            Send events, such as Order Create, to your own server as they happen. Each request is signed with your webhook’s secret
            following Standard Webhooks, so your endpoint can verify it came from us.{' '}
            <a href="/docs" target="_blank" rel="noreferrer">
              API reference
            </a>
          </p>
        </div>
        {/* The empty state carries its own button; one "Add Webhook" at a time keeps the page unambiguous. */}
        {(webhooks.data && webhooks.data.length > 0) || webhooks.isError ? <AddWebhookButton onClick={() => setCreating(true)} /> : null}
      </div>
      {webhooks.data ? <DisabledBanners storeKey={storeKey} webhooks={webhooks.data} /> : null}
      <div className="card">{content}</div>
      <CreateWebhookModal storeKey={storeKey} open={creating} onOpenChange={setCreating} />
    </>
  )
}
