import type pg from 'pg'
import { and, eq, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db'
import { webhookAttempts, webhookDeliveries, webhooks, type DeliveryRow, type WebhookRow } from '../../db/schema'
import type { SecretBox } from '../../lib/secret-box'
import { enqueueDeliveries } from './repo'
import type { SendResult, Sender } from './sender'
import { signedHeaders } from './signing'
import { formatSpan, nextDelaySeconds, retryHorizonMs, type WebhookSettings } from './retry'

type SigningKeys = Pick<WebhookRow, 'secretCiphertext' | 'previousSecretCiphertext' | 'previousSecretExpiresAt'>

interface ClaimRow {
  id: string
  message_id: string
  payload: Record<string, unknown>
  status: string
  attempt_count: number
  claimed_until: Date | null
  webhook_id: string
  url: string
  webhook_status: string
  secret_ciphertext: string
  previous_secret_ciphertext: string | null
  previous_secret_expires_at: Date | null
  failing_since: Date | null
  claimed: boolean
}

// The claim: one round trip reads the delivery with its webhook and, when it is
// pending, its webhook active and no other run holds it, takes it for the length of
// one attempt ($2 ms). A concurrent claim re-checks the locked row's new version
// (READ COMMITTED) and finds it held, so only one run sends at a time.
const CLAIM_SQL = `
with cur as (
  select d.id, d.message_id, d.payload, d.status, d.attempt_count, d.claimed_until,
         w.id as webhook_id, w.url, w.status as webhook_status, w.secret_ciphertext,
         w.previous_secret_ciphertext, w.previous_secret_expires_at, w.failing_since
    from webhook_deliveries d join webhooks w on w.id = d.webhook_id
   where d.id = $1
), claimed as (
  update webhook_deliveries d
     set attempt_count = cur.attempt_count + 1, updated_at = now(),
         claimed_until = now() + make_interval(secs => $2::double precision / 1000)
    from cur
   where d.id = cur.id and cur.status = 'pending' and cur.webhook_status = 'active'
     and d.status = 'pending' and d.attempt_count = cur.attempt_count
     and (d.claimed_until is null or d.claimed_until < now())
  returning d.id
)
select cur.*, exists (select 1 from claimed) as claimed from cur`

// The common case in one statement: the attempt and the delivery's new state together.
const SUCCEEDED_SQL = `
with attempt as (
  insert into webhook_attempts (delivery_id, number, at, request_headers, request_body, status_code,
                                response_headers, response_body, response_truncated, duration_ms, error)
  values ($1, $2, $3::timestamptz, $4::jsonb, $5, $6, $7::jsonb, $8, $9, $10, null)
)
update webhook_deliveries
   set status = 'succeeded', attempt_count = $2, last_status_code = $6, last_error = null,
       next_attempt_at = null, claimed_until = null, updated_at = now()
 where id = $1`

/**
 * Sending and recording deliveries: what the workers run. It needs no admin
 * services, so a worker process builds it on its own database pool.
 */
export function createDeliverer(deps: { db: Db; pool: pg.Pool; box: SecretBox; sender: Sender; settings: WebhookSettings }) {
  const { db, pool, box, sender, settings } = deps
  // An attempt lasts at most the send timeout; the claim outlives it by a margin.
  const claimMs = settings.timeoutMs + 5_000

  // Decrypting is the costliest step of signing; a webhook's secret is decrypted once
  // per ciphertext (a rotation changes the ciphertext, so the cache never serves a stale one).
  const plaintexts = new Map<string, string>()
  function decrypted(ciphertext: string): string {
    let secret = plaintexts.get(ciphertext)
    if (secret === undefined) {
      secret = box.decrypt(ciphertext)
      if (plaintexts.size >= 1000) plaintexts.delete(plaintexts.keys().next().value!)
      plaintexts.set(ciphertext, secret)
    }
    return secret
  }

  function signingSecrets(row: SigningKeys, at: Date): string[] {
    const secrets = [decrypted(row.secretCiphertext)]
    if (row.previousSecretCiphertext && row.previousSecretExpiresAt && row.previousSecretExpiresAt > at) {
      secrets.push(decrypted(row.previousSecretCiphertext))
    }
    return secrets
  }

  /** One signed HTTP attempt, recorded in the log. */
  async function attempt(tx: Tx, delivery: Pick<DeliveryRow, 'id' | 'attemptCount'>, at: Date, result: SendResult, headers: Record<string, string>, body: string) {
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

  async function send(row: SigningKeys & Pick<WebhookRow, 'url'>, delivery: Pick<DeliveryRow, 'payload' | 'messageId'>) {
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
    // One round trip reads the delivery with its webhook and claims this attempt.
    const { rows } = await pool.query<ClaimRow>({ name: 'webhook_delivery_claim', text: CLAIM_SQL, values: [deliveryId, claimMs] })
    const row = rows[0]
    if (!row || row.status !== 'pending') return
    const delivery = { id: row.id, messageId: row.message_id, payload: row.payload, attemptCount: row.attempt_count }
    const webhook = {
      id: row.webhook_id,
      url: row.url,
      secretCiphertext: row.secret_ciphertext,
      previousSecretCiphertext: row.previous_secret_ciphertext,
      previousSecretExpiresAt: row.previous_secret_expires_at,
      failingSince: row.failing_since,
    }
    if (row.webhook_status !== 'active') {
      await db
        .update(webhookDeliveries)
        .set({ status: 'held', nextAttemptAt: null, updatedAt: new Date() })
        .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.status, 'pending')))
      return
    }
    if (!row.claimed) {
      // Another run holds it (a job released from a worker presumed dead that is still
      // sending, or a second job queued meanwhile): look again once its claim ends, in
      // case that run never finishes.
      if (row.claimed_until && row.claimed_until > new Date()) await enqueueDeliveries(db, [delivery.id], row.claimed_until)
      return
    }
    const made = delivery.attemptCount + 1
    const { at, body, headers, result } = await send(webhook, delivery)
    const base = { attemptCount: made, claimedUntil: null, lastStatusCode: result.statusCode, lastError: result.error, updatedAt: new Date() }
    if (result.ok) {
      // The common case in one statement: the attempt and the delivery's new state together.
      await pool.query({
        name: 'webhook_delivery_succeeded',
        text: SUCCEEDED_SQL,
        values: [delivery.id, made, at.toISOString(), JSON.stringify(headers), body, result.statusCode,
          JSON.stringify(result.responseHeaders), result.responseBody, result.responseTruncated, result.durationMs],
      })
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
