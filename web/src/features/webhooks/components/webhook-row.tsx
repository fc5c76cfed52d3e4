import { Link } from 'react-router'
import { eventsSummary, type Webhook } from '@deskflow/shared'
import { FileText, Pencil, Send, Trash2 } from 'lucide-react'
import { Button, IconButton } from '@/components/ui/button'
import { useViewerReason } from '@/lib/store-role'
import { LastDelivery } from './last-delivery'
import { plural, WebhookStatusBadge } from './webhook-status'

export interface WebhookRowProps {
  webhook: Webhook
  now: number
  onSendDummy: (webhook: Webhook) => void
  onEdit: (webhook: Webhook) => void
  onDelete: (webhook: Webhook) => void
}

export function WebhookRow({ webhook, now, onSendDummy, onEdit, onDelete }: WebhookRowProps) {
  const { url } = webhook
  const cantChange = useViewerReason()
  return (
    <tr>
      <td data-label="URL" className="cell-url">
        <Link to={encodeURIComponent(webhook.id)} className="webhook-url clamp" title={url}>
          {url}
        </Link>
      </td>
      <td data-label="Event" className="cell-nowrap">
        <div>
          <span title={webhook.events.join(', ')}>{eventsSummary(webhook.events)}</span>
          <code className="cell-sub">{webhook.events.length <= 2 ? webhook.events.join(', ') : `${webhook.events.length} events`}</code>
        </div>
      </td>
      <td data-label="Status">
        <div className="status-stack status-stack-start">
          <WebhookStatusBadge status={webhook.status} />
          {webhook.heldCount > 0 ? <span className="cell-sub">{plural(webhook.heldCount, 'held event')}</span> : null}
        </div>
      </td>
      <td data-label="Last delivery" className="cell-last-delivery">
        <LastDelivery result={webhook.lastDelivery} now={now} />
      </td>
      <td data-label="Actions" className="cell-actions">
        <div className="row-actions">
          {/* The URL opens the details too; this says so where the actions are. */}
          <Link to={encodeURIComponent(webhook.id)} className="btn btn-secondary btn-sm" aria-label={`Details of ${url}`}>
            <FileText size={14} aria-hidden />
            Details
          </Link>
          <Button
            size="sm"
            icon={<Send size={14} aria-hidden />}
            aria-label={`Send Dummy to ${url}`}
            onClick={() => onSendDummy(webhook)}
            disabledReason={cantChange}
          >
            Send Dummy
          </Button>
          <IconButton
            label={`Edit ${url}`}
            tooltip="Edit"
            icon={<Pencil size={16} aria-hidden />}
            onClick={() => onEdit(webhook)}
            disabledReason={cantChange}
          />
          <IconButton
            label={`Delete ${url}`}
            tooltip="Delete"
            tone="danger"
            icon={<Trash2 size={16} aria-hidden />}
            onClick={() => onDelete(webhook)}
            disabledReason={cantChange}
          />
        </div>
      </td>
    </tr>
  )
}
