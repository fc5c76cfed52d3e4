import { and, eq, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db'
import { webhookAttempts, webhookDeliveries, webhooks, type DeliveryRow, type WebhookRow } from '../../db/schema'
import type { SecretBox } from '../../lib/secret-box'
import { enqueueDeliveries } from './repo'
import type { SendResult, Sender } from './sender'
import { signedHeaders } from './signing'
import { formatSpan, nextDelaySeconds, retryHorizonMs, type WebhookSettings } from './retry'

/**
 * Sending and recording deliveries: what the workers run. It needs no admin
 * services, so a worker process builds it on its own database pool.
 */
export function createDeliverer(deps: { db: Db; box: SecretBox; sender: Sender; settings: WebhookSettings }) {
  const { db, box, sender, settings } = deps

  function signingSecrets(row: WebhookRow, at: Date): string[] {
    const secrets = [box.decrypt(row.secretCiphertext)]
    if (row.previousSecretCiphertext && row.previousSecretExpiresAt && row.previousSecretExpiresAt > at) {
      secrets.push(box.decrypt(row.previousSecretCiphertext))
    }
    return secrets
  }

  /** One signed HTTP attempt, recorded in the log. */
  async function attempt(tx: Tx, delivery: DeliveryRow, at: Date, result: SendResult, headers: Record<string, string>, body: string) {
    await tx.insert(webhookAttempts).values({
      deliveryId: delivery.id,
      number: delivery.attemptCount + 1,
      at,
      requestHeaders: headers,
      requestBody: body,
      statusCode: result.statusCode,
      responseHeaders: result.responseHeaders,
      responseBody: result.responseBody,
      responseTruncated: result.responseTruncated,
      durationMs: result.durationMs,
      error: result.error,
    })
  }

  async function send(row: WebhookRow, delivery: DeliveryRow) {
    const at = new Date()
    // Stored as jsonb (keys re-ordered); sent as { type, timestamp, data }.
    const { type, timestamp, data } = delivery.payload
    const body = JSON.stringify({ type, timestamp, data })
    const headers = signedHeaders(signingSecrets(row, at), delivery.messageId, at, body)
    const result = await sender.send(row.url, headers, body)
    return { at, body, headers, result }
  }

  /** The worker's task: one attempt, then success, the next retry, or failure. */
async function deliver(deliveryId: string): Promise<void> {
    const [found] = await db
      .select({ delivery: webhookDeliveries, webhook: webhooks })
      .from(webhookDeliveries)
      .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
      .where(eq(webhookDeliveries.id, deliveryId))
    if (!found || found.delivery.status !== 'pending') return
    const { delivery, webhook } = found
    if (webhook.status !== 'active') {
      await db.update(webhookDeliveries).set({ status: 'held', nextAttemptAt: null, updatedAt: new Date() }).where(eq(webhookDeliveries.id, delivery.id))
      return
    }
    // Claim this attempt: a second run of the same delivery (a redelivery or a job
    // released from a dead worker) that read the same state finds it taken and stops.
    const made = delivery.attemptCount + 1
    const [claimed] = await db
      .update(webhookDeliveries)
      .set({ attemptCount: made, updatedAt: new Date() })
      .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.status, 'pending'), eq(webhookDeliveries.attemptCount, delivery.attemptCount)))
      .returning({ id: webhookDeliveries.id })
    if (!claimed) return
    const { at, body, headers, result } = await send(webhook, delivery)
    const base = { attemptCount: made, lastStatusCode: result.statusCode, lastError: result.error, updatedAt: new Date() }
    if (result.ok) {
      // The common case in one statement: the attempt and the delivery's new state together.
      await db.execute(sql`
        with attempt as (
          insert into webhook_attempts (delivery_id, number, at, request_headers, request_body, status_code, response_headers, response_body, response_truncated, duration_ms, error)
          values (${delivery.id}, ${made}, ${at.toISOString()}::timestamptz, ${JSON.stringify(headers)}::jsonb, ${body}, ${result.statusCode},
                  ${JSON.stringify(result.responseHeaders)}::jsonb, ${result.responseBody}, ${result.responseTruncated}, ${result.durationMs}, null)
        )
        update webhook_deliveries
           set status = 'succeeded', attempt_count = ${made}, last_status_code = ${result.statusCode}, last_error = null,
               next_attempt_at = null, updated_at = now()
         where id = ${delivery.id}`)
      if (webhook.failingSince !== null) await db.update(webhooks).set({ failingSince: null }).where(eq(webhooks.id, webhook.id))
      return
    }
    await db.transaction(async (tx) => {
      await attempt(tx, delivery, at, result, headers, body)
      const quietGapStart = new Date(at.getTime() - retryHorizonMs(settings.retryScale))
      const [{ failingSince } = { failingSince: at }] = await tx
        .update(webhooks)
        .set({
          failingSince: sql`case when ${webhooks.failingSince} is null or ${webhooks.lastFailureAt} is null
            or ${webhooks.lastFailureAt} < ${quietGapStart.toISOString()}::timestamptz
            then ${at.toISOString()}::timestamptz else ${webhooks.failingSince} end`,
          lastFailureAt: at,
        })
        .where(eq(webhooks.id, webhook.id))
        .returning({ failingSince: webhooks.failingSince })
      const gone = result.statusCode === 410
      const failingTooLong = failingSince !== null && at.getTime() - failingSince.getTime() >= settings.disableAfterMs
      if (gone || failingTooLong) {
        const reason = gone
          ? 'the receiver answered 410 Gone'
          : `every delivery failed for ${formatSpan(settings.disableAfterMs)} (last: ${result.error})`
        await tx
          .update(webhooks)
          .set({ status: 'disabled', disabledReason: reason, updatedAt: new Date() })
          .where(and(eq(webhooks.id, webhook.id), eq(webhooks.status, 'active')))
      }
      const delay = gone ? null : nextDelaySeconds(made, result.retryAfterSeconds)
      if (delay === null) {
        await tx.update(webhookDeliveries).set({ ...base, status: 'failed', nextAttemptAt: null }).where(eq(webhookDeliveries.id, delivery.id))
      } else if (failingTooLong) {
        // Kept for replay once the webhook is re-enabled.
        await tx.update(webhookDeliveries).set({ ...base, status: 'held', nextAttemptAt: null }).where(eq(webhookDeliveries.id, delivery.id))
      } else {
        const next = new Date(at.getTime() + delay * 1000 * settings.retryScale)
        await tx.update(webhookDeliveries).set({ ...base, nextAttemptAt: next }).where(eq(webhookDeliveries.id, delivery.id))
        await enqueueDeliveries(tx, [delivery.id], next)
      }
    })
  }

  return { send, recordAttempt: attempt, deliver }
}

export type Deliverer = ReturnType<typeof createDeliverer>
