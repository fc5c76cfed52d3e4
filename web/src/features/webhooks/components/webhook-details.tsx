import { useState } from 'react'
import { Link, useNavigate } from 'react-router'
import { eventLabel, eventsSummary, type Webhook } from '@deskflow/shared'
import { toast } from 'sonner'
import { ChevronRight, History, Pause, Pencil, Play, SearchX, Send, Trash2, TriangleAlert } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { CopyButton } from '@/components/ui/copy-button'
import { EmptyState } from '@/components/ui/empty-state'
import { ErrorState } from '@/components/ui/error-state'
import { Spinner } from '@/components/ui/spinner'
import { isApiError } from '@/lib/api-client'
import { formatDateTime, formatRelativeTime } from '@/lib/format'
import { useNow } from '@/lib/use-now'
import { auditLogPath } from '@/lib/audit-log-path'
import { useViewerReason } from '@/lib/store-role'
import { useWebhook } from '../api/get-webhook'
import { useReplayDeliveries } from '../api/replay-deliveries'
import { useUpdateWebhook } from '../api/update-webhook'
import { DeleteWebhookDialog } from './delete-webhook-dialog'
import { DeliveriesLog } from './deliveries-log'
import { disabledMessage } from './disabled-banners'
import { EditWebhookModal } from './edit-webhook-modal'
import { LastDelivery } from './last-delivery'
import { queuedMessage } from './replay-failed-dialog'
import { SendDummyDialog } from './send-dummy-dialog'
import { SigningSecret } from './signing-secret'
import { plural, WebhookStatusBadge } from './webhook-status'

function Breadcrumb({ listPath, current }: { listPath: string; current?: string | undefined }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <ol>
        <li>
          <Link to={listPath}>Webhooks</Link>
        </li>
        {current ? (
          <li aria-current="page">
            <ChevronRight size={14} aria-hidden />
            <span className="breadcrumb-current">{current}</span>
          </li>
        ) : null}
      </ol>
    </nav>
  )
}

export function WebhookDetails({ storeKey, id }: { storeKey: string; id: string }) {
  const webhook = useWebhook(storeKey, id)
  const listPath = `/store/${encodeURIComponent(storeKey)}/settings/webhooks`

  if (webhook.isPending)
    return (
      <>
        <Breadcrumb listPath={listPath} />
        <div className="center-pad">
          <Spinner size={24} label="Loading webhook" />
        </div>
      </>
    )
  if (webhook.isError && !webhook.data) {
    const notFound = isApiError(webhook.error) && webhook.error.status === 404
    return (
      <>
        <Breadcrumb listPath={listPath} />
        <div className="card">
          {notFound ? (
            <EmptyState
              as="h1"
              icon={<SearchX size={22} aria-hidden />}
              title="Webhook not found"
              action={
                <Link className="btn btn-secondary btn-md" to={listPath}>
                  Back to webhooks
                </Link>
              }
            >
              <p>There is no webhook “{id}” in this store. It may have been deleted.</p>
            </EmptyState>
          ) : (
            <ErrorState
              title="Couldn't load the webhook"
              message={webhook.error.message}
              onRetry={() => void webhook.refetch()}
              retrying={webhook.isFetching}
            />
          )}
        </div>
      </>
    )
  }
  return <WebhookPage storeKey={storeKey} webhook={webhook.data} listPath={listPath} />
}

function WebhookPage({ storeKey, webhook, listPath }: { storeKey: string; webhook: Webhook; listPath: string }) {
  const navigate = useNavigate()
  const now = useNow(15_000)
  const [testing, setTesting] = useState(false)
  const [editing, setEditing] = useState(false)
  const [deleting, setDeleting] = useState(false)
  const update = useUpdateWebhook(storeKey)
  const cantChange = useViewerReason()

  function setStatus(status: 'active' | 'paused') {
    const done = status === 'paused' ? 'Webhook paused' : webhook.status === 'disabled' ? 'Webhook re-enabled' : 'Webhook resumed'
    update.mutate(
      { id: webhook.id, body: { status } },
      { onSuccess: () => toast.success(done), onError: (error) => toast.error(`Couldn't change the status: ${error.message}`) },
    )
  }

  return (
    <>
      <title>{`${webhook.url} · Webhooks · Deskflow`}</title>
      <Breadcrumb listPath={listPath} current={webhook.url} />
      <div className="page-header">
        <div className="page-header-main">
          <h1 className="page-title break-all">{webhook.url}</h1>
          <p className="page-lead">
            {eventsSummary(webhook.events)} events · <WebhookStatusBadge status={webhook.status} />
          </p>
        </div>
        <div className="page-actions">
          <Button icon={<Send size={16} aria-hidden />} onClick={() => setTesting(true)} disabledReason={cantChange}>
            Send Dummy
          </Button>
          {webhook.status === 'active' ? (
            <Button
              icon={<Pause size={16} aria-hidden />}
              loading={update.isPending}
              onClick={() => setStatus('paused')}
              disabledReason={cantChange}
            >
              Pause
            </Button>
          ) : (
            <Button
              icon={<Play size={16} aria-hidden />}
              loading={update.isPending}
              onClick={() => setStatus('active')}
              disabledReason={cantChange}
            >
              {webhook.status === 'disabled' ? 'Re-enable' : 'Resume'}
            </Button>
          )}
          <Button icon={<Pencil size={16} aria-hidden />} onClick={() => setEditing(true)} disabledReason={cantChange}>
            Edit
          </Button>
          <Link className="btn btn-secondary btn-md" to={auditLogPath(storeKey, { targetId: webhook.id })}>
            <History size={16} aria-hidden />
            History
          </Link>
          <Button variant="danger" icon={<Trash2 size={16} aria-hidden />} onClick={() => setDeleting(true)} disabledReason={cantChange}>
            Delete
          </Button>
        </div>
      </div>

      <StatusNotice storeKey={storeKey} webhook={webhook} />

      <div className="card facts-card">
        <dl className="facts">
          <div>
            <dt>ID</dt>
            <dd className="fact-copy">
              <code>{webhook.id}</code>
              <CopyButton compact value={webhook.id} label="Copy webhook ID" what="Webhook ID" />
            </dd>
          </div>
          <div>
            <dt>URL</dt>
            <dd className="break-all">{webhook.url}</dd>
          </div>
          <div>
            <dt>{webhook.events.length === 1 ? 'Event' : 'Events'}</dt>
            <dd>
              <ul className="event-list">
                {webhook.events.map((event) => (
                  <li key={event}>
                    {eventLabel(event)} <code className="muted">{event}</code>
                  </li>
                ))}
              </ul>
            </dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd>
              <WebhookStatusBadge status={webhook.status} />
            </dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>
              <time dateTime={webhook.createdAt}>{formatDateTime(webhook.createdAt)}</time>
            </dd>
          </div>
          <div>
            <dt>Last delivery</dt>
            <dd>
              <LastDelivery result={webhook.lastDelivery} now={now} detailed />
              {webhook.failingSince ? (
                <span className="cell-sub">
                  Failing since <time dateTime={webhook.failingSince}>{formatRelativeTime(webhook.failingSince, now)}</time>
                </span>
              ) : null}
            </dd>
          </div>
          <div className="facts-wide">
            <dt>Signing secret</dt>
            <dd>
              <SigningSecret storeKey={storeKey} webhook={webhook} now={now} />
            </dd>
          </div>
        </dl>
      </div>

      <DeliveriesLog storeKey={storeKey} webhook={webhook} now={now} />

      <SendDummyDialog storeKey={storeKey} webhook={testing ? webhook : null} onClose={() => setTesting(false)} />
      <EditWebhookModal storeKey={storeKey} webhook={editing ? webhook : null} onClose={() => setEditing(false)} />
      <DeleteWebhookDialog
        storeKey={storeKey}
        webhook={deleting ? webhook : null}
        onClose={() => setDeleting(false)}
        onDeleted={() => void navigate(listPath, { replace: true })}
      />
    </>
  )
}

/** Why events are not going out, and what to do about the ones kept meanwhile. */
function StatusNotice({ storeKey, webhook }: { storeKey: string; webhook: Webhook }) {
  const replay = useReplayDeliveries(storeKey, webhook.id)
  const cantChange = useViewerReason()
  const held = plural(webhook.heldCount, 'held event')

  if (webhook.status === 'disabled')
    return (
      <div className="callout callout-warning banner" role="note">
        <TriangleAlert size={16} aria-hidden />
        <p className="banner-text">
          {disabledMessage(webhook)}{' '}
          {webhook.heldCount > 0 ? `${held} are kept: after re-enabling, send them with "Send ${webhook.heldCount} held events".` : null}
        </p>
      </div>
    )
  if (webhook.status === 'paused')
    return (
      <div className="callout callout-info banner" role="note">
        <Pause size={16} aria-hidden />
        <p className="banner-text">
          Paused: new events are kept, not sent{webhook.heldCount > 0 ? ` (${held} so far)` : ''}. Resume to send again.
        </p>
      </div>
    )
  if (webhook.heldCount === 0) return null
  return (
    <div className="callout callout-info banner" role="note">
      <Play size={16} aria-hidden />
      <p className="banner-text">
        {webhook.heldCount === 1 ? '1 event was' : `${webhook.heldCount.toLocaleString('en')} events were`} kept while the webhook was not
        active.
      </p>
      <Button
        size="sm"
        variant="primary"
        loading={replay.isPending}
        disabledReason={cantChange}
        onClick={() =>
          replay.mutate(
            { since: webhook.createdAt, include: ['held'] },
            {
              onSuccess: ({ queued }) => toast.success(queuedMessage(queued)),
              onError: (error) => toast.error(`Couldn't send the held events: ${error.message}`),
            },
          )
        }
      >
        Send {held}
      </Button>
    </div>
  )
}
