import { sql, type SQL } from 'drizzle-orm'
import type { WebhookStatus } from '@deskflow/shared'
import type { Tx } from '../../db'
import { webhookDeliveries, webhooks } from '../../db/schema'
import { newSortableId } from '../../lib/ids'

// Queueing deliveries: their graphile-worker jobs, and the fan-out of an event to the
// webhooks subscribed to it. The events feature records events through this module.

/**
 * Deliveries of one webhook in flight at once, across every worker process: a receiver
 * that hangs until the timeout holds at most this many of the workers' slots, and the
 * other webhooks' deliveries keep going.
 */
export const IN_FLIGHT_PER_WEBHOOK = 4

/**
 * graphile-worker runs one job at a time per named queue; a webhook's deliveries are
 * spread over IN_FLIGHT_PER_WEBHOOK queues of its own, chosen from the delivery id.
 */
export function deliveryQueue(webhookId: string, deliveryId: string): string {
  let hash = 0
  for (let i = 0; i < deliveryId.length; i++) hash = (hash * 31 + deliveryId.charCodeAt(i)) >>> 0
  return `webhook:${webhookId}:${hash % IN_FLIGHT_PER_WEBHOOK}`
}

export interface QueuedDelivery {
  id: string
  webhookId: string
}

/**
 * `graphile_worker.add_jobs` for deliveries: one statement and one wake-up notification
 * for the workers, however many. The job key keeps at most one waiting job per delivery
 * (queueing it again replaces the first).
 */
function addDeliveryJobs(deliveries: QueuedDelivery[], runAt: Date) {
  const jobs = JSON.stringify(deliveries.map((d) => ({ id: d.id, queue: deliveryQueue(d.webhookId, d.id) })))
  return sql`select 1 from graphile_worker.add_jobs(array(
    select row('deliver_webhook', json_build_object('deliveryId', d.id), d.queue,
               ${runAt.toISOString()}::timestamptz, 25, 'delivery:' || d.id, null, null)::graphile_worker.job_spec
      from json_to_recordset(${jobs}::json) as d(id text, queue text)))`
}

/**
 * Queues deliveries in graphile-worker inside the caller's transaction: a rolled
 * back change queues nothing, a committed one is never lost.
 */
export async function enqueueDeliveries(tx: Tx, deliveries: QueuedDelivery[], runAt: Date = new Date()): Promise<void> {
  if (deliveries.length === 0) return
  await tx.execute(addDeliveryJobs(deliveries, runAt))
}

export interface FannedOutEvent {
  id: string
  type: string
  timestamp: string
  data: Record<string, unknown>
}

// A type, not an interface: it is also a query's row type (an index-signature record).
export type Subscriber = { id: string; status: WebhookStatus }

/**
 * One delivery for each webhook subscribed to an event, and their jobs, as the parts
 * of one statement: `with <ctes> <final>`, so that a caller can add the event's own
 * insert to it. Paused and disabled webhooks keep theirs as `held`.
 */
export function fanOutStatement(storeId: string, event: FannedOutEvent, subscribers: Subscriber[]): { ctes: SQL[]; final: SQL } {
  if (subscribers.length === 0) return { ctes: [], final: sql`select 1` }
  const now = new Date()
  const deliveries = subscribers.map((w) => ({
    id: newSortableId('whd'),
    webhook_id: w.id,
    message_id: newSortableId('msg'),
    status: w.status === 'active' ? 'pending' : 'held',
  }))
  const pending = deliveries.filter((d) => d.status === 'pending').map((d) => ({ id: d.id, webhookId: d.webhook_id }))
  const payload = JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data })
  const inserted = sql`inserted_deliveries as (
      insert into ${webhookDeliveries} (id, webhook_id, store_id, message_id, event_id, event_type, payload, status, next_attempt_at)
      select d.id, d.webhook_id, ${storeId}, d.message_id, ${event.id}, ${event.type}, ${payload}::jsonb, d.status,
             case when d.status = 'pending' then ${now.toISOString()}::timestamptz end
        from json_to_recordset(${JSON.stringify(deliveries)}::json) as d(id text, webhook_id text, message_id text, status text))`
  return { ctes: [inserted], final: pending.length > 0 ? addDeliveryJobs(pending, now) : sql`select 1` }
}

/** The webhooks of a store subscribed to an event type. */
export function subscribersQuery(storeId: string, type: string): SQL {
  return sql`select id, status from ${webhooks} where store_id = ${storeId} and event = ${type}`
}

export async function subscribersOf(tx: Tx, storeId: string, type: string): Promise<Subscriber[]> {
  return (await tx.execute<Subscriber>(subscribersQuery(storeId, type))).rows
}
