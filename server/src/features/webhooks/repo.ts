import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm'
import { RETRY_SCHEDULE_SECONDS, type WebhookStatus } from '@deskflow/shared'
import type { Tx } from '../../db'
import { webhookAttempts, webhookDeliveries, webhooks, type DeliveryRow, type WebhookRow } from '../../db/schema'
import { newSortableId } from '../../lib/ids'
import type { Outcome } from './deliver'

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

export type NewWebhook = typeof webhooks.$inferInsert
export type WebhookChanges = Partial<Omit<NewWebhook, 'id' | 'storeId' | 'createdAt'>>
export type NewDelivery = typeof webhookDeliveries.$inferInsert

export interface DeliveryPageQuery {
  webhookId: string
  limit: number
  /** The last delivery already seen: the page starts after it (newest first). */
  beforeId?: string
  status?: string
}

export interface SecretRotation {
  storeId: string
  id: string
  secretCiphertext: string
  secretLast4: string
  previousSecretExpiresAt: Date
}

export interface ReplayScope {
  webhookId: string
  include: DeliveryRow['status'][]
  since: Date
}

/**
 * Sent again on request: what is left of the retry schedule, or one more attempt when
 * it is used up (a held delivery that was never sent gets the whole schedule).
 */
const attemptsAfterReplay = sql`greatest(${webhookDeliveries.attemptCount} + 1, ${RETRY_SCHEDULE_SECONDS.length})`

export function createWebhooksRepo(db: Tx) {
  /** Back to `pending`, due now; the caller queues its job in the same transaction. */
  const requeued = () => ({ status: 'pending' as const, nextAttemptAt: new Date(), updatedAt: new Date(), maxAttempts: attemptsAfterReplay })

  /** An attempt's entry in the log, replacing a "not recorded" entry of the same number. */
  async function insertAttempt(o: Outcome, tx: Tx = db): Promise<void> {
    const r = o.result
    const entry = {
      at: o.at,
      requestHeaders: o.headers,
      requestBody: o.body,
      statusCode: r.statusCode,
      responseHeaders: r.responseHeaders,
      responseBody: r.responseBody,
      responseTruncated: r.responseTruncated,
      durationMs: r.durationMs,
      error: r.error,
    }
    await tx
      .insert(webhookAttempts)
      .values({ deliveryId: o.deliveryId, number: o.number, ...entry })
      .onConflictDoUpdate({ target: [webhookAttempts.deliveryId, webhookAttempts.number], set: entry })
  }

  return {
    async listByStore(storeId: string, tx: Tx = db): Promise<WebhookRow[]> {
      return tx.select().from(webhooks).where(eq(webhooks.storeId, storeId)).orderBy(webhooks.createdAt, webhooks.id)
    },

    async find(storeId: string, id: string, tx: Tx = db, forUpdate = false): Promise<WebhookRow | undefined> {
      const query = tx.select().from(webhooks).where(and(eq(webhooks.storeId, storeId), eq(webhooks.id, id)))
      const [row] = forUpdate ? await query.for('update') : await query
      return row
    },

    async insert(values: NewWebhook, tx: Tx = db): Promise<WebhookRow> {
      const [row] = await tx.insert(webhooks).values(values).returning()
      return row!
    },

    /** By id alone: the caller has found (and locked) the webhook in its store. */
    async update(id: string, changes: WebhookChanges, tx: Tx = db): Promise<WebhookRow | undefined> {
      const [row] = await tx.update(webhooks).set({ ...changes, updatedAt: new Date() }).where(eq(webhooks.id, id)).returning()
      return row
    },

    async remove(storeId: string, id: string, tx: Tx = db): Promise<WebhookRow | undefined> {
      const [row] = await tx.delete(webhooks).where(and(eq(webhooks.storeId, storeId), eq(webhooks.id, id))).returning()
      return row
    },

    /**
     * One statement: the secret that becomes "previous" is the row's current one even
     * when another rotation commits first, so every secret handed out signs.
     */
    async rotateSecret({ storeId, id, secretCiphertext, secretLast4, previousSecretExpiresAt }: SecretRotation, tx: Tx = db): Promise<boolean> {
      const [row] = await tx
        .update(webhooks)
        .set({
          secretCiphertext,
          secretLast4,
          previousSecretCiphertext: sql`${webhooks.secretCiphertext}`,
          previousSecretExpiresAt,
          updatedAt: new Date(),
        })
        .where(and(eq(webhooks.storeId, storeId), eq(webhooks.id, id)))
        .returning({ id: webhooks.id })
      return row !== undefined
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

    async deliveries({ webhookId, limit, beforeId, status }: DeliveryPageQuery, tx: Tx = db) {
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

    insertAttempt,

    async attemptsOf(deliveryIds: string[], tx: Tx = db) {
      if (deliveryIds.length === 0) return []
      return tx.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, deliveryIds)).orderBy(webhookAttempts.number)
    },

    /** A delivery that was sent already (a Send Dummy test), with its one attempt. */
    async insertSentDelivery(values: NewDelivery, attempt: Outcome, tx: Tx = db): Promise<void> {
      await tx.insert(webhookDeliveries).values(values)
      await insertAttempt(attempt, tx)
    },

    async findDelivery(webhookId: string, deliveryId: string, tx: Tx = db, forUpdate = false): Promise<DeliveryRow | undefined> {
      const query = tx.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.id, deliveryId)))
      const [row] = forUpdate ? await query.for('update') : await query
      return row
    },

    /** One delivery queued again, under its original webhook-id. */
    async requeue(webhookId: string, deliveryId: string, tx: Tx = db): Promise<DeliveryRow | undefined> {
      const [row] = await tx.update(webhookDeliveries).set(requeued()).where(eq(webhookDeliveries.id, deliveryId)).returning()
      if (row) await enqueueDeliveries(tx, [{ id: row.id, webhookId }])
      return row
    },

    /** Every delivery of a webhook in one of the statuses, created since a time (tests excepted), queued again. */
    async requeueSince({ webhookId, include, since }: ReplayScope, tx: Tx = db): Promise<number> {
      const rows = await tx
        .update(webhookDeliveries)
        .set(requeued())
        .where(
          and(
            eq(webhookDeliveries.webhookId, webhookId),
            inArray(webhookDeliveries.status, include),
            eq(webhookDeliveries.isTest, false),
            gte(webhookDeliveries.createdAt, since),
          ),
        )
        .returning({ id: webhookDeliveries.id })
      await enqueueDeliveries(tx, rows.map((r) => ({ id: r.id, webhookId })))
      return rows.length
    },
  }
}

export type WebhooksRepo = ReturnType<typeof createWebhooksRepo>
