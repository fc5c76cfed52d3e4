import type pg from 'pg'
import { and, eq, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db'
import { webhookDeliveries, webhooks, type DeliveryRow } from '../../db/schema'
import type { Outcome } from './sender'
import { enqueueDeliveries, type QueuedDelivery } from './queue'
import { createWebhooksRepo } from './repo'

/** The claim's answer: the delivery, its webhook, and what the claim did. */
export interface ClaimRow {
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
  return [
    o.deliveryId,
    o.number,
    o.at.toISOString(),
    JSON.stringify(o.headers),
    o.body,
    r.statusCode,
    JSON.stringify(r.responseHeaders),
    r.responseBody,
    r.responseTruncated,
    r.durationMs,
    r.error,
  ]
}

export interface ClaimInput {
  deliveryId: string
  /** How long the claim holds the delivery. */
  claimMs: number
  /** The log entry of an attempt that was claimed but never recorded. */
  lostAttemptError: string
  /** The delivery's last error when its attempts are used up without a recorded outcome. */
  gaveUpError: string
}

export interface FailureStreak {
  webhookId: string
  at: Date
  /** A failure before this one, if the last one is older, starts a new streak. */
  quietGapStart: Date
}

export type DeliveryChanges = Partial<
  Pick<DeliveryRow, 'status' | 'nextAttemptAt' | 'claimedUntil' | 'lastStatusCode' | 'lastError' | 'updatedAt'>
>

/**
 * The delivery workers' statements. The claim and the success are prepared (named)
 * statements on the workers' own pool: they run for every attempt.
 */
export function createDeliveriesRepo({ db, pool }: { db: Db; pool: pg.Pool }) {
  const { insertAttempt } = createWebhooksRepo(db)

  return {
    async claim({ deliveryId, claimMs, lostAttemptError, gaveUpError }: ClaimInput): Promise<ClaimRow | undefined> {
      const { rows } = await pool.query<ClaimRow>({
        name: 'webhook_delivery_claim',
        text: CLAIM_SQL,
        values: [deliveryId, claimMs, lostAttemptError, gaveUpError],
      })
      return rows[0]
    },

    /** A success: the attempt and the delivery's new state in one statement. */
    async recordSuccess(o: Outcome): Promise<void> {
      await pool.query({ name: 'webhook_delivery_succeeded', text: SUCCEEDED_SQL, values: attemptValues(o) })
    },

    async endFailureStreak(webhookId: string, tx: Tx = db): Promise<void> {
      await tx.update(webhooks).set({ failingSince: null }).where(eq(webhooks.id, webhookId))
    },

    /** Kept, unsent, while its webhook is paused or disabled. */
    async hold(deliveryId: string, tx: Tx = db): Promise<void> {
      await tx
        .update(webhookDeliveries)
        .set({ status: 'held', nextAttemptAt: null, updatedAt: new Date() })
        .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, 'pending')))
    },

    insertAttempt,

    /** The delivery's state, locked until the transaction ends. */
    async lockState(deliveryId: string, tx: Tx = db) {
      const [row] = await tx
        .select({ status: webhookDeliveries.status, attemptCount: webhookDeliveries.attemptCount })
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.id, deliveryId))
        .for('update')
      return row
    },

    /** The webhook's failure streak with this failure: when it started (now, or earlier). */
    async extendFailureStreak(
      { webhookId, at, quietGapStart }: FailureStreak,
      tx: Tx = db,
    ): Promise<{ failingSince: Date | null } | undefined> {
      const [row] = await tx
        .update(webhooks)
        .set({
          failingSince: sql`case when ${webhooks.failingSince} is null or ${webhooks.lastFailureAt} is null
            or ${webhooks.lastFailureAt} < ${quietGapStart.toISOString()}::timestamptz
            then ${at.toISOString()}::timestamptz else ${webhooks.failingSince} end`,
          lastFailureAt: at,
        })
        .where(eq(webhooks.id, webhookId))
        .returning({ failingSince: webhooks.failingSince })
      return row
    },

    /** An active webhook disabled (one paused meanwhile stays paused). */
    async disable(webhookId: string, reason: string, tx: Tx = db): Promise<void> {
      await tx
        .update(webhooks)
        .set({ status: 'disabled', disabledReason: reason, updatedAt: new Date() })
        .where(and(eq(webhooks.id, webhookId), eq(webhooks.status, 'active')))
    },

    async settle(deliveryId: string, changes: DeliveryChanges, tx: Tx = db): Promise<void> {
      await tx.update(webhookDeliveries).set(changes).where(eq(webhookDeliveries.id, deliveryId))
    },

    async enqueue(deliveries: QueuedDelivery[], runAt: Date, tx: Tx = db): Promise<void> {
      await enqueueDeliveries(tx, deliveries, runAt)
    },
  }
}

export type DeliveriesRepo = ReturnType<typeof createDeliveriesRepo>
