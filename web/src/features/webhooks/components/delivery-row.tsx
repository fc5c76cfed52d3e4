import { useState } from 'react'
import { eventLabel, type Delivery, type DeliveryAttempt, type DeliveryStatus } from '@deskflow/shared'
import { ChevronRight } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { formatDateTime, formatRelativeTime } from '@/lib/format'
import { useViewerReason } from '@/lib/store-role'
import { Body, Headers } from './http-message'
import { TermSection } from './send-dummy-dialog'

export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = {
  pending: 'Pending',
  succeeded: 'Succeeded',
  failed: 'Failed',
  held: 'Held',
}
const STATUS_CLASS: Record<DeliveryStatus, string> = {
  pending: 'badge badge-info',
  succeeded: 'badge badge-success',
  failed: 'badge badge-danger',
  held: 'badge badge-warning',
}

const COLUMNS = 9

function lastResponse(attempt: DeliveryAttempt | undefined) {
  if (!attempt) return <span className="muted">—</span>
  const ok = attempt.statusCode !== null && attempt.statusCode >= 200 && attempt.statusCode < 300 && !attempt.error
  return (
    <span className={ok ? 'delivery-outcome delivery-ok' : 'delivery-outcome delivery-failed'}>
      {attempt.statusCode ?? attempt.error ?? 'No response'}
      {attempt.statusCode !== null && attempt.error ? (
        <span className="cell-sub delivery-error clamp" title={attempt.error}>
          {attempt.error}
        </span>
      ) : null}
    </span>
  )
}

export interface DeliveryRowProps {
  delivery: Delivery
  now: number
  onRedeliver: (delivery: Delivery) => void
  redelivering: boolean
  onRetry: (delivery: Delivery) => void
  retrying: boolean
}

export function DeliveryRow({ delivery, now, onRedeliver, redelivering, onRetry, retrying }: DeliveryRowProps) {
  const [expanded, setExpanded] = useState(false)
  const cantChange = useViewerReason()
  const panelId = `attempts-${delivery.id}`
  const last = delivery.attempts.at(-1)
  return (
    <>
      <tr className={expanded ? 'delivery-row delivery-row-open' : 'delivery-row'}>
        <td className="cell-expand">
          <button
            type="button"
            className="icon-btn expand-btn"
            aria-expanded={expanded}
            aria-controls={panelId}
            aria-label={`${expanded ? 'Hide' : 'Show'} attempts for ${delivery.id}`}
            onClick={() => setExpanded((on) => !on)}
          >
            <ChevronRight size={16} aria-hidden className="disclosure-chevron" />
          </button>
        </td>
        <td data-label="Event type" className="cell-nowrap">
          <div>
            {eventLabel(delivery.eventType)}
            <code className="cell-sub">{delivery.eventType}</code>
          </div>
        </td>
        <td data-label="Message id" className="cell-message-id">
          <code className="message-id clamp" title={delivery.messageId}>
            {delivery.messageId}
          </code>
        </td>
        <td data-label="Status">
          <div className="status-stack status-stack-start">
            <span className={STATUS_CLASS[delivery.status]}>{DELIVERY_STATUS_LABELS[delivery.status]}</span>
            {delivery.test ? <span className="badge">Test</span> : null}
          </div>
        </td>
        <td data-label="Attempts" className="cell-num">
          {delivery.attemptCount}
        </td>
        <td data-label="Last response" className="cell-last-response">
          {lastResponse(last)}
        </td>
        <td data-label="When" className="cell-muted">
          <time dateTime={delivery.createdAt} title={formatDateTime(delivery.createdAt)}>
            {formatRelativeTime(delivery.createdAt, now)}
          </time>
        </td>
        <td data-label="Next retry" className="cell-muted">
          {delivery.status === 'pending' && delivery.nextAttemptAt ? (
            <time dateTime={delivery.nextAttemptAt} title={formatDateTime(delivery.nextAttemptAt)}>
              {new Date(delivery.nextAttemptAt).getTime() <= now ? 'Due now' : formatRelativeTime(delivery.nextAttemptAt, now)}
            </time>
          ) : (
            '—'
          )}
        </td>
        <td className="cell-actions">
          {/* A test is sent again with Send Dummy; a pending delivery is on its way, and one
              that already failed an attempt can be sent now instead of at its next retry. */}
          {delivery.test ? null : delivery.status === 'pending' ? (
            delivery.attemptCount > 0 ? (
              <Button
                size="sm"
                loading={retrying}
                onClick={() => onRetry(delivery)}
                aria-label={`Retry ${delivery.messageId} now`}
                disabledReason={cantChange}
              >
                Retry now
              </Button>
            ) : null
          ) : (
            <Button size="sm" loading={redelivering} onClick={() => onRedeliver(delivery)} disabledReason={cantChange}>
              Redeliver
            </Button>
          )}
        </td>
      </tr>
      <tr id={panelId} className="attempts-row" hidden={!expanded}>
        <td colSpan={COLUMNS}>{expanded ? <Attempts delivery={delivery} /> : null}</td>
      </tr>
    </>
  )
}

function Attempts({ delivery }: { delivery: Delivery }) {
  if (delivery.attempts.length === 0)
    return (
      <div className="terminal terminal-compact">
        <div className="term-line term-muted">
          {delivery.status === 'held'
            ? 'Held: not sent yet. It goes out when the webhook is resumed and the held events are sent.'
            : 'No attempts yet.'}
        </div>
        <TermSection title="Payload">
          <Body body={JSON.stringify(delivery.payload)} />
        </TermSection>
      </div>
    )
  return (
    <ol className="attempts" aria-label={`Attempts for ${delivery.id}`}>
      {delivery.attempts.map((attempt) => (
        <li key={attempt.number} className="terminal terminal-compact">
          <div className="term-line term-attempt-head">
            <span>Attempt {attempt.number}</span>
            <span className="term-muted">
              <time dateTime={attempt.at}>{formatDateTime(attempt.at)}</time> · {attempt.durationMs} ms
            </span>
          </div>
          {attempt.statusCode !== null ? (
            <div
              className={
                attempt.statusCode >= 200 && attempt.statusCode < 300 ? 'term-line term-status term-ok' : 'term-line term-status term-error'
              }
            >
              HTTP {attempt.statusCode}
            </div>
          ) : null}
          {attempt.error ? (
            <div className="term-line term-error">
              <span className="term-label">Error:</span> {attempt.error}
            </div>
          ) : null}
          <div className="attempt-columns">
            <div>
              <TermSection title="Request headers">
                <Headers headers={attempt.requestHeaders} />
              </TermSection>
              <TermSection title="Request body">
                <Body body={attempt.requestBody} />
              </TermSection>
            </div>
            <div>
              {attempt.statusCode !== null ? (
                <>
                  <TermSection title="Response headers">
                    <Headers headers={attempt.responseHeaders} />
                  </TermSection>
                  <TermSection title="Response body">
                    <Body body={attempt.responseBody} truncated={attempt.responseTruncated} />
                  </TermSection>
                </>
              ) : (
                <TermSection title="Response">
                  <span className="term-muted">No response received.</span>
                </TermSection>
              )}
            </div>
          </div>
        </li>
      ))}
    </ol>
  )
}
