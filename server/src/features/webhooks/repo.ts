import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm'
import type { Tx } from '../../db'
import { webhookAttempts, webhookDeliveries, webhooks, type DeliveryRow, type WebhookRow } from '../../db/schema'
import { newSortableId } from '../../lib/ids'

/**
 * Queues deliveries in graphile-worker inside the caller's transaction: a rolled
 * back change queues nothing, a committed one is never lost. The job key makes a
 * second queueing of the same delivery replace the first instead of doubling it.
 */
export async function enqueueDeliveries(tx: Tx, deliveryIds: string[], runAt: Date = new Date()): Promise<void> {
  if (deliveryIds.length === 0) return
  await tx.execute(sql`
    select graphile_worker.add_job(
      'deliver_webhook',
      json_build_object('deliveryId', d.id),
      run_at := ${runAt.toISOString()}::timestamptz,
      max_attempts := 25,
      job_key := 'delivery:' || d.id
    )
    from json_array_elements_text(${JSON.stringify(deliveryIds)}::json) as d(id)`)
}

export interface FannedOutEvent {
  id: string
  type: string
  timestamp: string
  data: Record<string, unknown>
}

/**
 * One delivery for each webhook of the store subscribed to the event, in the
 * event's own transaction. Paused and disabled webhooks keep theirs as `held`.
 */
export async function fanOutEvent(tx: Tx, storeId: string, event: FannedOutEvent): Promise<void> {
  const subscribers = await tx
    .select({ id: webhooks.id, status: webhooks.status })
    .from(webhooks)
    .where(and(eq(webhooks.storeId, storeId), eq(webhooks.event, event.type)))
  if (subscribers.length === 0) return
  const now = new Date()
  const rows = await tx
    .insert(webhookDeliveries)
    .values(
      subscribers.map((w) => ({
        id: newSortableId('whd'),
        webhookId: w.id,
        storeId,
        messageId: newSortableId('msg'),
        eventId: event.id,
        eventType: event.type,
        payload: { type: event.type, timestamp: event.timestamp, data: event.data },
        status: w.status === 'active' ? ('pending' as const) : ('held' as const),
        nextAttemptAt: w.status === 'active' ? now : null,
      })),
    )
    .returning({ id: webhookDeliveries.id, status: webhookDeliveries.status })
  await enqueueDeliveries(tx, rows.filter((r) => r.status === 'pending').map((r) => r.id), now)
}

export function createWebhooksRepo(db: Tx) {
  return {
    async listByStore(storeId: string, tx: Tx = db): Promise<WebhookRow[]> {
      return tx.select().from(webhooks).where(eq(webhooks.storeId, storeId)).orderBy(webhooks.createdAt, webhooks.id)
    },

    async find(storeId: string, id: string, tx: Tx = db): Promise<WebhookRow | undefined> {
      const [row] = await tx.select().from(webhooks).where(and(eq(webhooks.storeId, storeId), eq(webhooks.id, id)))
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
