import { and, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm'
import { RETRY_SCHEDULE_SECONDS } from '@deskflow/shared'
import type { Tx } from '../../db'
import { webhookAttempts, webhookDeliveries, webhooks, type DeliveryRow, type WebhookRow } from '../../db/schema'
import { enqueueDeliveries } from './queue'
import type { Outcome } from './sender'

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
  const requeued = () => ({
    status: 'pending' as const,
    nextAttemptAt: new Date(),
    updatedAt: new Date(),
    maxAttempts: attemptsAfterReplay,
  })

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
      const query = tx
        .select()
        .from(webhooks)
        .where(and(eq(webhooks.storeId, storeId), eq(webhooks.id, id)))
      const [row] = forUpdate ? await query.for('update') : await query
      return row
    },

    async insert(values: NewWebhook, tx: Tx = db): Promise<WebhookRow> {
      const [row] = await tx.insert(webhooks).values(values).returning()
      return row!
    },

    /** By id alone: the caller has found (and locked) the webhook in its store. */
    async update(id: string, changes: WebhookChanges, tx: Tx = db): Promise<WebhookRow | undefined> {
      const [row] = await tx
        .update(webhooks)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(webhooks.id, id))
        .returning()
      return row
    },

    async remove(storeId: string, id: string, tx: Tx = db): Promise<WebhookRow | undefined> {
      const [row] = await tx
        .delete(webhooks)
        .where(and(eq(webhooks.storeId, storeId), eq(webhooks.id, id)))
        .returning()
      return row
    },

    /**
     * One statement: the secret that becomes "previous" is the row's current one even
     * when another rotation commits first, so every secret handed out signs.
     */
    async rotateSecret(
      { storeId, id, secretCiphertext, secretLast4, previousSecretExpiresAt }: SecretRotation,
      tx: Tx = db,
    ): Promise<boolean> {
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
      const query = tx
        .select()
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.id, deliveryId)))
      const [row] = forUpdate ? await query.for('update') : await query
      return row
    },

    /** One delivery queued again, under its original webhook-id. */
    async requeue(webhookId: string, deliveryId: string, tx: Tx = db): Promise<DeliveryRow | undefined> {
      const [row] = await tx.update(webhookDeliveries).set(requeued()).where(eq(webhookDeliveries.id, deliveryId)).returning()
      if (row) await enqueueDeliveries(tx, [{ id: row.id, webhookId }])
      return row
    },

    /** A delivery waiting for its next attempt, sent now instead (its attempts so far kept). */
    async retryNow(webhookId: string, deliveryId: string, tx: Tx = db): Promise<DeliveryRow | undefined> {
      const now = new Date()
      const [row] = await tx
        .update(webhookDeliveries)
        .set({ nextAttemptAt: now, updatedAt: now })
        .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, 'pending')))
        .returning()
      // The job key replaces the waiting job: one job, due now.
      if (row) await enqueueDeliveries(tx, [{ id: row.id, webhookId }], now)
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
      await enqueueDeliveries(
        tx,
        rows.map((r) => ({ id: r.id, webhookId })),
      )
      return rows.length
    },
  }
}

export type WebhooksRepo = ReturnType<typeof createWebhooksRepo>
