import { sql, type SQL } from 'drizzle-orm'
import type { Db, Tx } from '../../db'
import { webhookDeliveries, webhooks } from '../../db/schema'

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
 * spread over IN_FLIGHT_PER_WEBHOOK queues of its own, chosen by the last character of
 * the delivery id (random; base 36, or hexadecimal for ids made in SQL, and both 36 and
 * 16 are multiples of 4). `queueSql` is the same choice in SQL.
 */
export function deliveryQueue(webhookId: string, deliveryId: string): string {
  return `webhook:${webhookId}:${parseInt(deliveryId.slice(-1), 36) % IN_FLIGHT_PER_WEBHOOK}`
}

const queueSql = (webhookId: SQL, deliveryId: SQL) =>
  sql`'webhook:' || ${webhookId} || ':' || ((position(right(${deliveryId}, 1) in '0123456789abcdefghijklmnopqrstuvwxyz') - 1) % ${sql.raw(String(IN_FLIGHT_PER_WEBHOOK))})`

export interface QueuedDelivery {
  id: string
  webhookId: string
}

/** Each delivery's job key: at most one waiting job per delivery. */
const DELIVERY_KEY_PREFIX = 'delivery:'
const deliveryKeyPrefix = sql.raw(`'${DELIVERY_KEY_PREFIX}'`)

/**
 * `graphile_worker.add_jobs` for deliveries: one statement and one wake-up notification
 * for the workers, however many. Queueing a delivery again replaces its waiting job (the
 * job key). Answers the keys of the jobs it added or replaced.
 */
function addDeliveryJobs(deliveries: QueuedDelivery[], runAt: Date) {
  const jobs = JSON.stringify(deliveries.map((d) => ({ id: d.id, queue: deliveryQueue(d.webhookId, d.id) })))
  return sql`select key from graphile_worker.add_jobs(array(
    select row('deliver_webhook', json_build_object('deliveryId', d.id), d.queue,
               ${runAt.toISOString()}::timestamptz, 25, ${deliveryKeyPrefix} || d.id, null, null)::graphile_worker.job_spec
      from json_to_recordset(${jobs}::json) as d(id text, queue text)))`
}

/**
 * How many times a delivery's job is added before giving up: adding it again fails only
 * if a worker takes its earlier job during that very statement, once more.
 */
const ADD_ROUNDS = 5

/**
 * Queues deliveries in graphile-worker inside the caller's transaction: a rolled
 * back change queues nothing, a committed one is never lost.
 *
 * `add_jobs` adds nothing for a delivery whose waiting job a worker takes while the
 * statement runs (graphile/worker#580): it first clears the key of jobs already taken,
 * then replaces the waiting job of the same key, and a job taken between the two is
 * neither cleared nor replaced. The worker running it read the delivery before this
 * change, so nothing would send it again. Such deliveries are added once more: their
 * earlier job is taken by then, and its key is cleared.
 */
export async function enqueueDeliveries(tx: Tx, deliveries: QueuedDelivery[], runAt: Date = new Date()): Promise<void> {
  let left = deliveries
  for (let round = 0; left.length > 0; round++) {
    if (round === ADD_ROUNDS) throw new Error(`${left.length} webhook deliveries could not be queued: their jobs were taken each time`)
    const { rows } = await tx.execute<{ key: string }>(addDeliveryJobs(left, runAt))
    const added = new Set(rows.map((r) => r.key))
    left = left.filter((d) => !added.has(DELIVERY_KEY_PREFIX + d.id))
  }
}

/**
 * Every delivery due for more than `graceSeconds` that no job will send, queued again:
 * pending, not claimed, and with no job under its key, waiting or running. Each change
 * queues its deliveries' jobs in its own transaction and a retry queues the next one
 * before its job ends, so none should ever be found; this is the net under a job lost
 * all the same (as graphile/worker#580 once lost one). Read webhook by webhook, along
 * the deliveries' (webhook, status) index; at most `limit` a run.
 */
export async function queueStranded(db: Db, graceSeconds: number, limit = 1000): Promise<QueuedDelivery[]> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.execute<{ id: string; webhook_id: string }>(sql`
      select d.id, d.webhook_id from ${webhooks} w cross join lateral (
        select d.id, d.webhook_id from ${webhookDeliveries} d
         where d.webhook_id = w.id and d.status = 'pending'
           and d.next_attempt_at < now() - make_interval(secs => ${graceSeconds})
           and (d.claimed_until is null or d.claimed_until < now())
           and not exists (select 1 from graphile_worker.jobs j where j.key = ${deliveryKeyPrefix} || d.id)
         limit ${limit}) d
      limit ${limit}`)
    const stranded = rows.map((r) => ({ id: r.id, webhookId: r.webhook_id }))
    await enqueueDeliveries(tx, stranded)
    return stranded
  })
}

/**
 * What an event's fan-out binds: each a value, or a `sql.placeholder` of a prepared
 * statement. `data` is the event's data as JSON text; `idTime` the time part of sortable
 * ids (`newSortableId`) made at `timestamp`.
 */
export interface EventBinding {
  id: unknown
  storeId: unknown
  type: unknown
  data: unknown
  timestamp: unknown
  idTime: unknown
}

/**
 * An event's deliveries, one for each webhook of the store subscribed to its type, and
 * their jobs, as parts of one statement: `inserted_deliveries`, a CTE, and `jobs`, an
 * expression of the statement's final select (null when there is no job to add). The
 * subscribers are read by the statement itself, so an event, its deliveries and their
 * jobs take one round trip. Paused and disabled webhooks keep theirs as `held`.
 *
 * The subscribers are locked as they are read (`for key share`, the lock the deliveries'
 * foreign key takes anyway): a webhook deleted while the event is recorded is either
 * deleted first, and the event has no delivery for it, or waits for the event, and its
 * deliveries go with it. Read without the lock, a deletion committed between the read and
 * the insert failed the event's statement, and with it the change that caused the event
 * (an order refused because a webhook was being deleted).
 */
export function fanOutParts(e: EventBinding): { cte: SQL; jobs: SQL } {
  // Ids as `newSortableId` makes them: the event's time, then random (12 hex digits of a
  // version 4 UUID's last group, all random).
  const sortableId = (prefix: 'whd' | 'msg') => sql`${sql.raw(`'${prefix}_'`)} || ${e.idTime}::text || right(gen_random_uuid()::text, 12)`
  const cte = sql`inserted_deliveries as (
      insert into ${webhookDeliveries} (id, webhook_id, store_id, message_id, event_id, event_type, payload, status, next_attempt_at)
      select ${sortableId('whd')}, w.id, w.store_id, ${sortableId('msg')}, ${e.id}::text, ${e.type}::text,
             jsonb_build_object('id', ${e.id}::text, 'type', ${e.type}::text, 'timestamp', ${e.timestamp}::text, 'data', ${e.data}::jsonb),
             case when w.status = 'active' then 'pending' else 'held' end,
             case when w.status = 'active' then ${e.timestamp}::timestamptz end
        from ${webhooks} w where w.store_id = ${e.storeId}::text and ${e.type}::text = any(w.events)
        for key share of w
      returning id, webhook_id, status)`
  const pending = sql`from inserted_deliveries d where d.status = 'pending'`
  const jobs = sql`case when exists (select 1 ${pending}) then (select count(*) from graphile_worker.add_jobs(array(
      select row('deliver_webhook', json_build_object('deliveryId', d.id), ${queueSql(sql`d.webhook_id`, sql`d.id`)},
                 ${e.timestamp}::timestamptz, 25, ${deliveryKeyPrefix} || d.id, null, null)::graphile_worker.job_spec
        ${pending}))) end`
  return { cte, jobs }
}
