import type { Db } from '../../db'
import type { DeliveryRow, WebhookRow } from '../../db/schema'
import { isDatabaseUnavailable, pgErrorOf } from '../../lib/pg-errors'
import type { SecretBox } from '../../lib/secret-box'
import type { DeliveriesRepo } from './deliveries-repo'
import type { Outcome, Sender } from './sender'
import { signedHeaders } from './signing'
import { queueStranded } from './queue'
import { formatSpan, nextDelaySeconds, retryHorizonMs, type WebhookSettings } from './retry'
import type { Metrics } from '../../lib/metrics'

type SigningKeys = Pick<WebhookRow, 'secretCiphertext' | 'previousSecretCiphertext' | 'previousSecretExpiresAt'>

export const LOST_ATTEMPT_ERROR =
  'The outcome of this attempt was not recorded (the delivery worker stopped or lost its database connection after sending); it may have reached the endpoint'
const GAVE_UP_ERROR = 'Gave up: every allowed attempt was made, and the outcome of the last one was not recorded'
export const UNSTORED_ANSWER = '(The receiver answered, but its answer could not be stored in the delivery log.)'

/** The outcome without the receiver's answer, for when the database refuses the answer itself. */
function withoutAnswer(o: Outcome): Outcome {
  return { ...o, result: { ...o.result, responseHeaders: {}, responseBody: UNSTORED_ANSWER, responseTruncated: false } }
}

/** The attempt's reference to its delivery (`db/constraints.ts`): refused once the delivery is deleted. */
const ATTEMPT_OF_DELIVERY = 'webhook_attempts_delivery_id_webhook_deliveries_id_fk'

/** How long a delivery may be overdue with no job before the upkeep queues it again. */
const STRANDED_AFTER_SECONDS = 60

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Pauses between tries to record an outcome: short enough to end well inside the claim. */
const RECORD_RETRY_MS = [200, 1000, 2500]

/**
 * Records what a send produced. A lost connection is tried again; any other failure
 * is retried without the receiver's answer, which is then the likeliest cause. If
 * every try fails the error is thrown, and the caller keeps the outcome to record later.
 * A delivery deleted with its webhook while it was being sent leaves nothing to record
 * the outcome in (the attempt's reference to it is refused): that ends it, no retry.
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
      if (pgErrorOf(err)?.constraint === ATTEMPT_OF_DELIVERY) return
      lastError = err
    }
  }
  throw lastError
}

/**
 * Sending and recording deliveries: what the workers run. It needs no admin
 * services, so a worker process builds it on its own database pool.
 */
export function createDeliverer(deps: {
  db: Db
  repo: DeliveriesRepo
  box: SecretBox
  sender: Sender
  settings: WebhookSettings
  metrics?: Metrics | undefined
}) {
  const { db, repo, box, sender, settings, metrics } = deps
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
    // Stored as jsonb (keys re-ordered); sent as { id, type, timestamp, data }.
    const { id, type, timestamp, data } = delivery.payload
    const body = JSON.stringify({ id, type, timestamp, data })
    const headers = signedHeaders(signingSecrets(row, at), delivery.messageId, at, body)
    const result = await sender.send(row.url, headers, body)
    return { at, body, headers, result }
  }

  /** A success: the attempt and the delivery's new state in one statement. */
  async function finishSucceeded(o: Outcome, failingSince: Date | null): Promise<void> {
    await repo.recordSuccess(o)
    if (failingSince !== null) await repo.endFailureStreak(o.webhookId)
  }

  /** A failure: the attempt, the webhook's failure streak (disabling it when too long), and the retry or the end. */
  async function finishFailed(o: Outcome): Promise<void> {
    const { result, at, number: made } = o
    await db.transaction(async (tx) => {
      await repo.insertAttempt(o, tx)
      const current = await repo.lockState(o.deliveryId, tx)
      // A later claim has moved on (this outcome was recorded late): the entry is all that is left to write.
      if (!current || current.status !== 'pending' || current.attemptCount !== made) {
        // Still this attempt's claim, on a delivery settled meanwhile (failed or held by hand):
        // it ends with the attempt, so a replay or a redelivery need not wait for it to expire.
        if (current && current.attemptCount === made) await repo.settle(o.deliveryId, { claimedUntil: null }, tx)
        return
      }
      const quietGapStart = new Date(at.getTime() - retryHorizonMs(settings.retryScale))
      const { failingSince } = (await repo.extendFailureStreak({ webhookId: o.webhookId, at, quietGapStart }, tx)) ?? { failingSince: at }
      const gone = result.statusCode === 410
      const failingTooLong = failingSince !== null && at.getTime() - failingSince.getTime() >= settings.disableAfterMs
      if (gone || failingTooLong) {
        const reason = gone
          ? 'the receiver answered 410 Gone'
          : `every delivery failed for ${formatSpan(settings.disableAfterMs)} (last: ${result.error})`
        await repo.disable(o.webhookId, reason, tx)
      }
      const delay = gone || made >= o.maxAttempts ? null : nextDelaySeconds(made, result.retryAfterSeconds)
      const base = { claimedUntil: null, lastStatusCode: result.statusCode, lastError: result.error, updatedAt: new Date() }
      if (delay === null) {
        await repo.settle(o.deliveryId, { ...base, status: 'failed', nextAttemptAt: null }, tx)
      } else if (failingTooLong) {
        // Kept for replay once the webhook is re-enabled.
        await repo.settle(o.deliveryId, { ...base, status: 'held', nextAttemptAt: null }, tx)
      } else {
        const next = new Date(at.getTime() + delay * 1000 * settings.retryScale)
        await repo.settle(o.deliveryId, { ...base, nextAttemptAt: next }, tx)
        await repo.enqueue([{ id: o.deliveryId, webhookId: o.webhookId }], next, tx)
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
    const row = await repo.claim({ deliveryId, claimMs, lostAttemptError: LOST_ATTEMPT_ERROR, gaveUpError: GAVE_UP_ERROR })
    if (!row || row.status !== 'pending' || row.gave_up) return
    if (row.webhook_status !== 'active') {
      await repo.hold(row.id)
      return
    }
    if (!row.claimed) {
      // Another run holds it (a job released from a worker presumed dead that is still
      // sending, or a second job queued meanwhile): look again once its claim ends, in
      // case that run never finishes. The database found the claim running, whatever this
      // process's clock says: a claim it sees as ended is looked at again a second later.
      if (row.claimed_until) {
        const at = new Date(Math.max(row.claimed_until.getTime(), Date.now() + 1000))
        await repo.enqueue([{ id: row.id, webhookId: row.webhook_id }], at)
      }
      return
    }
    const webhook = {
      url: row.url,
      secretCiphertext: row.secret_ciphertext,
      previousSecretCiphertext: row.previous_secret_ciphertext,
      previousSecretExpiresAt: row.previous_secret_expires_at,
    }
    const { at, body, headers, result } = await send(webhook, { payload: row.payload, messageId: row.message_id })
    metrics?.delivery(result.ok, row.attempt_count + 1, row.payload.timestamp, at)
    await record(
      {
        deliveryId: row.id,
        webhookId: row.webhook_id,
        number: row.attempt_count + 1,
        maxAttempts: row.max_attempts,
        at,
        headers,
        body,
        result,
      },
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

  /** Upkeep: deliveries due for over a minute that no job would send, queued again (`queueStranded`). */
  const requeueStranded = () => queueStranded(db, STRANDED_AFTER_SECONDS)

  return { send, deliver, requeueStranded }
}

export type Deliverer = ReturnType<typeof createDeliverer>
