import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm'
import type { WebhookStatus } from '@deskflow/shared'
import type { Tx } from '../../db'
import { webhookAttempts, webhookDeliveries, webhooks, type DeliveryRow, type WebhookRow } from '../../db/schema'
import { newSortableId } from '../../lib/ids'

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

export function createWebhooksRepo(db: Tx) {
  return {
    async listByStore(storeId: string, tx: Tx = db): Promise<WebhookRow[]> {
      return tx.select().from(webhooks).where(eq(webhooks.storeId, storeId)).orderBy(webhooks.createdAt, webhooks.id)
    },

    async find(storeId: string, id: string, tx: Tx = db, forUpdate = false): Promise<WebhookRow | undefined> {
      const query = tx.select().from(webhooks).where(and(eq(webhooks.storeId, storeId), eq(webhooks.id, id)))
      const [row] = forUpdate ? await query.for('update') : await query
      return row
    },

    /** Per webhook: the newest attempted delivery's outcome, and how many deliveries are held. */
    async summaries(webhookIds: string[], tx: Tx = db) {
      if (webhookIds.length === 0) return { last: new Map<string, DeliveryRow>(), held: new Map<string, number>() }
      const last = await tx
        .selectDistinctOn([webhookDeliveries.webhookId])
        .from(webhookDeliveries)
        .where(and(inArray(webhookDeliveries.webhookId, webhookIds), sql`${webhookDeliveries.attemptCount} > 0`))
        .orderBy(webhookDeliveries.webhookId, desc(webhookDeliveries.updatedAt))
      const held = await tx
        .select({ webhookId: webhookDeliveries.webhookId, n: sql<number>`count(*)::int` })
        .from(webhookDeliveries)
        .where(and(inArray(webhookDeliveries.webhookId, webhookIds), eq(webhookDeliveries.status, 'held')))
        .groupBy(webhookDeliveries.webhookId)
      return { last: new Map(last.map((d) => [d.webhookId, d])), held: new Map(held.map((h) => [h.webhookId, h.n])) }
    },

    async deliveries(webhookId: string, limit: number, beforeId?: string, status?: string, tx: Tx = db) {
      return tx
        .select()
        .from(webhookDeliveries)
        .where(
          and(
            eq(webhookDeliveries.webhookId, webhookId),
            beforeId ? lt(webhookDeliveries.id, beforeId) : undefined,
            status ? eq(webhookDeliveries.status, status as DeliveryRow['status']) : undefined,
          ),
        )
        .orderBy(desc(webhookDeliveries.id))
        .limit(limit)
    },

    async attemptsOf(deliveryIds: string[], tx: Tx = db) {
      if (deliveryIds.length === 0) return []
      return tx.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, deliveryIds)).orderBy(webhookAttempts.number)
    },
  }
}

export type WebhooksRepo = ReturnType<typeof createWebhooksRepo>
