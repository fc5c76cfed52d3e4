import type pg from 'pg'
import { and, eq, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db'
import { webhookAttempts, webhookDeliveries, webhooks, type DeliveryRow, type WebhookRow } from '../../db/schema'
import { isDatabaseUnavailable } from '../../lib/pg-errors'
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
  max_attempts: number
  claimed_until: Date | null
  webhook_id: string
  url: string
  webhook_status: string
  secret_ciphertext: string
  previous_secret_ciphertext: string | null
  previous_secret_expires_at: Date | null
  failing_since: Date | null
  claimed: boolean
  gave_up: boolean
}

/** What one send produced, kept until it is recorded. */
export interface Outcome {
  deliveryId: string
  webhookId: string
  /** The attempt's number: the delivery's attempt count once it is recorded. */
  number: number
  maxAttempts: number
  at: Date
  headers: Record<string, string>
  body: string
  result: SendResult
}

export const LOST_ATTEMPT_ERROR =
  'The outcome of this attempt was not recorded (the delivery worker stopped or lost its database connection after sending); it may have reached the endpoint'
const GAVE_UP_ERROR = 'Gave up: every allowed attempt was made, and the outcome of the last one was not recorded'
export const UNSTORED_ANSWER = '(The receiver answered, but its answer could not be stored in the delivery log.)'

// The claim: one round trip reads the delivery with its webhook and, when it is pending,
// its webhook active and no other run holds it ("free"), takes it for the length of one
// attempt ($2 ms). A concurrent claim re-checks the locked row's new version (READ
// COMMITTED) and finds it held, so only one run sends at a time.
// Every claim counts as an attempt before anything is sent, so however often recording
// fails afterwards, a delivery is never sent more than `max_attempts` times: once they
// are used up it fails without another send. Attempts that were claimed but never
// recorded (the run died after sending) get an entry saying so in the log.
const CLAIM_SQL = `
with cur as (
  select d.id, d.message_id, d.payload, d.status, d.attempt_count, d.max_attempts, d.claimed_until,
         w.id as webhook_id, w.url, w.status as webhook_status, w.secret_ciphertext,
         w.previous_secret_ciphertext, w.previous_secret_expires_at, w.failing_since,
         d.status = 'pending' and w.status = 'active' and (d.claimed_until is null or d.claimed_until < now()) as free
    from webhook_deliveries d join webhooks w on w.id = d.webhook_id
   where d.id = $1
), lost as (
  insert into webhook_attempts (delivery_id, number, at, request_headers, request_body, duration_ms, error)
  select cur.id, n, now(), '{}'::jsonb, '', 0, $3
    from cur cross join generate_series(1, cur.attempt_count) as n
   where cur.free and not exists (select 1 from webhook_attempts a where a.delivery_id = cur.id and a.number = n)
  on conflict do nothing
), claimed as (
  update webhook_deliveries d
     set attempt_count = cur.attempt_count + 1, updated_at = now(),
         claimed_until = now() + make_interval(secs => $2::double precision / 1000)
    from cur
   where d.id = cur.id and cur.free and cur.attempt_count < cur.max_attempts
     and d.status = 'pending' and d.attempt_count = cur.attempt_count
     and (d.claimed_until is null or d.claimed_until < now())
  returning d.id
), gave_up as (
  update webhook_deliveries d
     set status = 'failed', next_attempt_at = null, claimed_until = null, last_error = $4, updated_at = now()
    from cur
   where d.id = cur.id and cur.free and cur.attempt_count >= cur.max_attempts
     and d.status = 'pending' and d.attempt_count = cur.attempt_count
  returning d.id
)
select cur.*, exists (select 1 from claimed) as claimed, exists (select 1 from gave_up) as gave_up from cur`

// An attempt's entry; the real outcome replaces the "not recorded" entry a later claim
// may have written meanwhile.
const ATTEMPT_SQL = `
insert into webhook_attempts (delivery_id, number, at, request_headers, request_body, status_code,
                              response_headers, response_body, response_truncated, duration_ms, error)
values ($1, $2, $3::timestamptz, $4::jsonb, $5, $6, $7::jsonb, $8, $9, $10, $11)
on conflict (delivery_id, number) do update
   set at = excluded.at, request_headers = excluded.request_headers, request_body = excluded.request_body,
       status_code = excluded.status_code, response_headers = excluded.response_headers,
       response_body = excluded.response_body, response_truncated = excluded.response_truncated,
       duration_ms = excluded.duration_ms, error = excluded.error`

// The common case in one statement: the attempt and the delivery's new state together.
// The state changes only while no later claim has been made (attempt_count = $2).
const SUCCEEDED_SQL = `
with attempt as (${ATTEMPT_SQL})
update webhook_deliveries
   set status = 'succeeded', last_status_code = $6, last_error = null,
       next_attempt_at = null, claimed_until = null, updated_at = now()
 where id = $1 and attempt_count = $2`

function attemptValues(o: Outcome): unknown[] {
  const r = o.result
  return [o.deliveryId, o.number, o.at.toISOString(), JSON.stringify(o.headers), o.body, r.statusCode,
    JSON.stringify(r.responseHeaders), r.responseBody, r.responseTruncated, r.durationMs, r.error]
}

/** The outcome without the receiver's answer, for when the database refuses the answer itself. */
function withoutAnswer(o: Outcome): Outcome {
  return { ...o, result: { ...o.result, responseHeaders: {}, responseBody: UNSTORED_ANSWER, responseTruncated: false } }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Pauses between tries to record an outcome: short enough to end well inside the claim. */
const RECORD_RETRY_MS = [200, 1000, 2500]

/**
 * Records what a send produced. A lost connection is tried again; any other failure
 * is retried without the receiver's answer, which is then the likeliest cause. If
 * every try fails the error is thrown, and the caller keeps the outcome to record later.
 */
export async function recordWithFallback(o: Outcome, write: (o: Outcome) => Promise<void>): Promise<void> {
  let lastError: unknown
  for (let i = 0; i <= RECORD_RETRY_MS.length; i++) {
    if (i > 0) await sleep(RECORD_RETRY_MS[i - 1]!)
    const lean = i > 0 && !isDatabaseUnavailable(lastError)
    try {
      await write(lean ? withoutAnswer(o) : o)
      return
    } catch (err) {
      lastError = err
    }
  }
  throw lastError
}

/** An attempt's entry in the log, replacing a "not recorded" entry of the same number. */
export async function insertAttempt(tx: Tx, o: Outcome): Promise<void> {
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

/**
 * Sending and recording deliveries: what the workers run. It needs no admin
 * services, so a worker process builds it on its own database pool.
 */
export function createDeliverer(deps: { db: Db; pool: pg.Pool; box: SecretBox; sender: Sender; settings: WebhookSettings }) {
  const { db, pool, box, sender, settings } = deps
  // An attempt lasts at most the send timeout; the claim outlives it by a margin that
  // also covers recording its outcome (RECORD_RETRY_MS).
  const claimMs = settings.timeoutMs + 5_000
  // Outcomes this process could not record yet; the delivery's next run records them
  // instead of sending again.
  const unrecorded = new Map<string, Outcome>()

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

  async function send(row: SigningKeys & Pick<WebhookRow, 'url'>, delivery: Pick<DeliveryRow, 'payload' | 'messageId'>) {
    const at = new Date()
    // Stored as jsonb (keys re-ordered); sent as { type, timestamp, data }.
    const { type, timestamp, data } = delivery.payload
    const body = JSON.stringify({ type, timestamp, data })
    const headers = signedHeaders(signingSecrets(row, at), delivery.messageId, at, body)
    const result = await sender.send(row.url, headers, body)
    return { at, body, headers, result }
  }

  /** A success: the attempt and the delivery's new state in one statement. */
  async function finishSucceeded(o: Outcome, failingSince: Date | null): Promise<void> {
    await pool.query({ name: 'webhook_delivery_succeeded', text: SUCCEEDED_SQL, values: attemptValues(o) })
    if (failingSince !== null) await db.update(webhooks).set({ failingSince: null }).where(eq(webhooks.id, o.webhookId))
  }

  /** A failure: the attempt, the webhook's failure streak (disabling it when too long), and the retry or the end. */
  async function finishFailed(o: Outcome): Promise<void> {
    const { result, at, number: made } = o
    await db.transaction(async (tx) => {
      await insertAttempt(tx, o)
      const [current] = await tx
        .select({ status: webhookDeliveries.status, attemptCount: webhookDeliveries.attemptCount })
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.id, o.deliveryId))
        .for('update')
      // A later claim has moved on (this outcome was recorded late): the entry is all that is left to write.
      if (!current || current.status !== 'pending' || current.attemptCount !== made) return
      const quietGapStart = new Date(at.getTime() - retryHorizonMs(settings.retryScale))
      const [{ failingSince } = { failingSince: at }] = await tx
        .update(webhooks)
        .set({
          failingSince: sql`case when ${webhooks.failingSince} is null or ${webhooks.lastFailureAt} is null
            or ${webhooks.lastFailureAt} < ${quietGapStart.toISOString()}::timestamptz
            then ${at.toISOString()}::timestamptz else ${webhooks.failingSince} end`,
          lastFailureAt: at,
        })
        .where(eq(webhooks.id, o.webhookId))
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
          .where(and(eq(webhooks.id, o.webhookId), eq(webhooks.status, 'active')))
      }
      const delay = gone || made >= o.maxAttempts ? null : nextDelaySeconds(made, result.retryAfterSeconds)
      const base = { claimedUntil: null, lastStatusCode: result.statusCode, lastError: result.error, updatedAt: new Date() }
      const where = eq(webhookDeliveries.id, o.deliveryId)
      if (delay === null) {
        await tx.update(webhookDeliveries).set({ ...base, status: 'failed', nextAttemptAt: null }).where(where)
      } else if (failingTooLong) {
        // Kept for replay once the webhook is re-enabled.
        await tx.update(webhookDeliveries).set({ ...base, status: 'held', nextAttemptAt: null }).where(where)
      } else {
        const next = new Date(at.getTime() + delay * 1000 * settings.retryScale)
        await tx.update(webhookDeliveries).set({ ...base, nextAttemptAt: next }).where(where)
        await enqueueDeliveries(tx, [{ id: o.deliveryId, webhookId: o.webhookId }], next)
      }
    })
  }

  /** The worker's task: one attempt, then success, the next retry, or failure. */
  async function deliver(deliveryId: string): Promise<void> {
    const pending = unrecorded.get(deliveryId)
    if (pending) {
      await record(pending)
      return
    }
    const { rows } = await pool.query<ClaimRow>({
      name: 'webhook_delivery_claim',
      text: CLAIM_SQL,
      values: [deliveryId, claimMs, LOST_ATTEMPT_ERROR, GAVE_UP_ERROR],
    })
    const row = rows[0]
    if (!row || row.status !== 'pending' || row.gave_up) return
    if (row.webhook_status !== 'active') {
      await db
        .update(webhookDeliveries)
        .set({ status: 'held', nextAttemptAt: null, updatedAt: new Date() })
        .where(and(eq(webhookDeliveries.id, row.id), eq(webhookDeliveries.status, 'pending')))
      return
    }
    if (!row.claimed) {
      // Another run holds it (a job released from a worker presumed dead that is still
      // sending, or a second job queued meanwhile): look again once its claim ends, in
      // case that run never finishes.
      if (row.claimed_until && row.claimed_until > new Date()) await enqueueDeliveries(db, [{ id: row.id, webhookId: row.webhook_id }], row.claimed_until)
      return
    }
    const webhook = {
      url: row.url,
      secretCiphertext: row.secret_ciphertext,
      previousSecretCiphertext: row.previous_secret_ciphertext,
      previousSecretExpiresAt: row.previous_secret_expires_at,
    }
    const { at, body, headers, result } = await send(webhook, { payload: row.payload, messageId: row.message_id })
    await record(
      { deliveryId: row.id, webhookId: row.webhook_id, number: row.attempt_count + 1, maxAttempts: row.max_attempts, at, headers, body, result },
      row.failing_since,
    )
  }

  async function record(o: Outcome, failingSince: Date | null = new Date(0)): Promise<void> {
    try {
      await recordWithFallback(o, (x) => (x.result.ok ? finishSucceeded(x, failingSince) : finishFailed(x)))
      unrecorded.delete(o.deliveryId)
    } catch (err) {
      unrecorded.set(o.deliveryId, o)
      throw err
    }
  }

  return { send, deliver }
}

export type Deliverer = ReturnType<typeof createDeliverer>
