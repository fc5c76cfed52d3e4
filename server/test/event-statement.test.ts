import { describe, expect, it } from 'vitest'
import pg from 'pg'
import { sql } from 'drizzle-orm'
import type { Customer } from '@deskflow/shared'
import { deliveryQueue } from '../src/features/webhooks/queue'
import { useHarness } from './helpers/harness'

/**
 * A create writes its row, its event, the event's deliveries and their jobs in one
 * statement, the row presented before the insert. Without a delivery worker nothing is
 * sent: the jobs stay queued, to be read here.
 */
const h = useHarness({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_ALLOW_HTTP: 'true' })

const rows = async <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) => (await h.database.db.execute<T>(query)).rows

type Job = { queue_name: string; key: string }
const jobsOf = async (deliveryIds: string[]) =>
  (await rows<Job>(sql`select queue_name, key from graphile_worker.jobs`)).filter((j) =>
    deliveryIds.some((id) => j.key === `delivery:${id}`),
  )
const jobCount = async () => (await rows<{ n: number }>(sql`select count(*)::int as n from graphile_worker.jobs`))[0]!.n

let n = 0
const customerBody = () => ({ email: `statement-${++n}@example.com`, firstName: 'Ada', lastName: 'Lovelace' })

describe('a create and its event in one statement', () => {
  it('answers what it stored, and its event, deliveries and jobs carry that answer', async () => {
    const r = await h.receiver()
    const active = await h.addWebhook(r.url, 'customer.created')
    const paused = await h.addWebhook(r.url, 'customer.created')
    expect((await h.admin('PATCH', `/webhooks/${paused.id}`, { status: 'paused' })).statusCode).toBe(200)
    const other = await h.addWebhook(r.url, 'customer.updated')

    const created = await h.create<Customer>('/v1/customers', customerBody())
    // The answer is what a read returns afterwards, timestamps to the millisecond.
    expect((await h.v1('GET', `/v1/customers/${created.id}`)).json()).toEqual(created)
    expect(created.createdAt).toBe(created.updatedAt)

    const [event] = await rows<{ id: string; type: string; data: unknown; created_at: string }>(
      sql`select id, type, data, to_json(created_at)#>>'{}' as created_at from events where data->>'id' = ${created.id}`,
    )
    expect(event).toMatchObject({ type: 'customer.created', data: created })
    expect(new Date(event!.created_at).toISOString()).toBe(created.createdAt)

    const deliveries = await rows<{ id: string; webhook_id: string; message_id: string; status: string; payload: unknown }>(
      sql`select id, webhook_id, message_id, status, payload from webhook_deliveries where event_id = ${event!.id} order by status`,
    )
    expect(deliveries.map((d) => [d.webhook_id, d.status])).toEqual([
      [paused.id, 'held'],
      [active.id, 'pending'],
    ])
    expect(deliveries.some((d) => d.webhook_id === other.id)).toBe(false)
    const eventTime = event!.id.slice(4, 13)
    for (const d of deliveries) {
      expect(d.payload).toEqual({ id: event!.id, type: 'customer.created', timestamp: created.createdAt, data: created })
      // Sortable ids made at the event's time, like the server's own.
      expect(d.id).toMatch(new RegExp(`^whd_${eventTime}[0-9a-z]{12}$`))
      expect(d.message_id).toMatch(new RegExp(`^msg_${eventTime}[0-9a-z]{12}$`))
    }
    expect(new Set(deliveries.map((d) => d.message_id)).size).toBe(2)

    // One job, for the pending delivery, on the queue the server's own code would choose.
    const pending = deliveries.find((d) => d.status === 'pending')!
    expect(await jobsOf(deliveries.map((d) => d.id))).toEqual([
      { queue_name: deliveryQueue(active.id, pending.id), key: `delivery:${pending.id}` },
    ])
  })

  it('spreads a webhook over its queues alike in SQL and in the server', async () => {
    const r = await h.receiver()
    const hook = await h.addWebhook(r.url, 'customer.created')
    const ids: string[] = []
    for (let i = 0; i < 48; i++) ids.push((await h.create<Customer>('/v1/customers', customerBody())).id)
    const jobs = await rows<{ id: string; queue_name: string }>(
      sql`select d.id, j.queue_name from webhook_deliveries d join graphile_worker.jobs j on j.key = 'delivery:' || d.id
          where d.webhook_id = ${hook.id}`,
    )
    expect(jobs).toHaveLength(48)
    for (const job of jobs) expect(job.queue_name).toBe(deliveryQueue(hook.id, job.id))
    // 48 deliveries over 4 queues: all of them used, as random ids would spread them (a
    // constant queue would fail; the chance that random ids leave one empty is 4 × (3/4)^48,
    // about 1 in 250,000).
    expect(new Set(jobs.map((j) => j.queue_name)).size).toBe(4)
  })

  it('adds no job when no webhook is subscribed', async () => {
    const before = await jobCount()
    const created = await h.create<{ id: string }>('/v1/categories', { name: 'Nobody listens' })
    expect(await rows(sql`select 1 from events where data->>'id' = ${created.id}`)).toHaveLength(1)
    expect(await jobCount()).toBe(before)
  })

  it('20 concurrent creates of one email: one customer, one event, one delivery; the others 409 and change nothing', async () => {
    const r = await h.receiver()
    const hook = await h.addWebhook(r.url, 'customer.created')
    const body = customerBody()
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.v1('POST', '/v1/customers', body)))
    const codes = answers.map((a) => a.statusCode).sort()
    expect(codes).toEqual([201, ...Array(19).fill(409)])
    for (const a of answers.filter((a) => a.statusCode === 409))
      expect(a.json()).toMatchObject({ error: { code: 'conflict', details: [{ field: 'email' }] } })
    expect(await rows(sql`select 1 from customers where email = ${body.email}`)).toHaveLength(1)
    expect(await rows(sql`select 1 from events where data->>'email' = ${body.email}`)).toHaveLength(1)
    expect(await rows(sql`select 1 from webhook_deliveries where webhook_id = ${hook.id}`)).toHaveLength(1)
  })
})

describe('a webhook deleted while an event is recorded', () => {
  /** Until another session of this database waits for a lock (the event's statement, on the webhook's row). */
  async function waitForLockWait(client: pg.Client) {
    for (let i = 0; i < 400; i++) {
      const { rows: waiting } = await client.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()",
      )
      if (waiting[0]!.n > 0) return
      await new Promise((r) => setTimeout(r, 10))
    }
    throw new Error('the request never waited for the deletion')
  }

  // The deletion is in flight (its row lock held) when the change's statement reads the
  // subscribers, and commits while the statement waits: the change succeeds without a
  // delivery for the deleted webhook, and the webhook that stays gets its delivery.
  const changes = [
    {
      name: 'a create (one statement)',
      type: 'customer.created',
      prepare: async () => () => h.v1('POST', '/v1/customers', customerBody()),
    },
    {
      name: 'an order (a transaction)',
      type: 'order.created',
      prepare: async () => {
        const product = await h.createProduct()
        return () => h.v1('POST', '/v1/orders', { lineItems: [{ productId: product.id, quantity: 1 }] })
      },
    },
  ]

  for (const change of changes) {
    it(`lets ${change.name} succeed, without a delivery for it`, async () => {
      const r = await h.receiver()
      const deleted = await h.addWebhook(r.url, change.type)
      const kept = await h.addWebhook(r.url, change.type)
      const send = await change.prepare()
      const other = new pg.Client({ connectionString: h.database.url })
      await other.connect()
      try {
        await other.query('begin')
        await other.query('delete from webhooks where id = $1', [deleted.id])
        const pending = send()
        await waitForLockWait(other)
        await other.query('commit')
        const answer = await pending
        expect(answer.statusCode, answer.body).toBe(201)
        const id = answer.json<{ id: string }>().id
        const deliveries = await rows<{ webhook_id: string }>(
          sql`select d.webhook_id from webhook_deliveries d join events e on e.id = d.event_id where e.data->>'id' = ${id}`,
        )
        // Other tests' webhooks of the store may be subscribed too: only this test's two count.
        expect(deliveries.map((d) => d.webhook_id).filter((w) => w === kept.id || w === deleted.id)).toEqual([kept.id])
      } finally {
        await other.end()
      }
    })
  }
})
