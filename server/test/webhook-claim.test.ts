import pg from 'pg'
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { Product } from '@deskflow/shared'
import { until, useHarness } from './helpers/harness'
import type { Receiver } from './helpers/receiver'

// No delivery worker here: the test runs the worker's task itself, twice at once.
const h = useHarness({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_ALLOW_HTTP: 'true' })
let product: Product
let receiver: Receiver

beforeAll(async () => {
  product = await h.createProduct()
  // Answers slowly, so that both runs are in flight at the same time.
  receiver = await h.receiver((_req, _n, res) => setTimeout(() => res.end('ok'), 150))
})

describe('claiming an attempt', () => {
  it('two runs of the same delivery at once send it once', async () => {
    const hook = await h.addWebhook(receiver.url)
    const order = await h.v1('POST', '/v1/orders', { lineItems: [{ productId: product.id, quantity: 1 }] })
    expect(order.statusCode).toBe(201)
    const [delivery] = await h.deliveries(hook.id)
    expect(delivery).toMatchObject({ status: 'pending', attemptCount: 0 })

    await Promise.all([h.app.services.deliverer.deliver(delivery!.id), h.app.services.deliverer.deliver(delivery!.id)])

    expect(receiver.received).toHaveLength(1)
    const after = await h.deliveries(hook.id)
    expect(after[0]).toMatchObject({ status: 'succeeded', attemptCount: 1 })
    expect(after[0]!.attempts).toHaveLength(1)
  })
})

describe('queueing a delivery again while a worker takes its job', () => {
  // graphile/worker#580: add_jobs clears the key of jobs already taken, then replaces the
  // waiting job of the same key; a job taken between the two kept its key and no job was
  // added. The worker here is a second connection that takes the job and commits while
  // "Retry now" is inside add_jobs, waiting for that very row.
  it('still gets a job of its own, due now', async () => {
    const hook = await h.addWebhook(receiver.url)
    await h.createOrder(product.id)
    const [delivery] = await h.deliveries(hook.id)
    const key = `delivery:${delivery!.id}`
    const jobsOf = async () =>
      (
        await h.database.db.execute<{ locked: boolean; key: string | null }>(
          sql`select locked_at is not null as locked, key from graphile_worker._private_jobs
               where payload->>'deliveryId' = ${delivery!.id} order by id`,
        )
      ).rows
    expect(await jobsOf()).toEqual([{ locked: false, key }])

    const worker = new pg.Client({ connectionString: h.database.url })
    await worker.connect()
    try {
      await worker.query('begin')
      await worker.query(`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'test' where key = $1`, [key])
      const retried = h.admin('POST', `/webhooks/${hook.id}/deliveries/${delivery!.id}/retry`)
      await until(
        async () => (await h.database.db.execute<{ n: number }>(sql`select count(*)::int as n from pg_locks where not granted`)).rows[0]!.n,
        (n) => n > 0,
      )
      await worker.query('commit')
      expect((await retried).statusCode).toBe(202)
    } finally {
      await worker.end()
    }

    // The taken job runs on what it read before; the delivery has a waiting job of its own.
    expect(await jobsOf()).toEqual([
      { locked: true, key: null },
      { locked: false, key },
    ])
  })
})

describe('a delivery whose job was lost', () => {
  it('is queued again by the upkeep once it is a minute overdue, and only it', async () => {
    const hook = await h.addWebhook(receiver.url)
    for (let i = 0; i < 4; i++) await h.createOrder(product.id)
    const [recent, claimed, queued, lost] = (await h.deliveries(hook.id)).map((d) => d.id)
    const overdue = (id: string, seconds: number) =>
      h.database.db.execute(sql`update webhook_deliveries set next_attempt_at = now() - make_interval(secs => ${seconds}) where id = ${id}`)
    const dropJob = (id: string) => h.database.db.execute(sql`delete from graphile_worker._private_jobs where key = ${`delivery:${id}`}`)
    // Lost: no job, two minutes overdue. Not yet: no job, 10 s overdue. Claimed: no job
    // while a run holds it. Queued: overdue, its job still waiting.
    await overdue(lost!, 120)
    await dropJob(lost!)
    await overdue(recent!, 10)
    await dropJob(recent!)
    await overdue(claimed!, 120)
    await dropJob(claimed!)
    await h.database.db.execute(sql`update webhook_deliveries set claimed_until = now() + interval '1 minute' where id = ${claimed!}`)
    await overdue(queued!, 120)

    expect(await h.app.services.deliverer.requeueStranded()).toEqual([{ id: lost, webhookId: hook.id }])
    const jobs = await h.database.db.execute<{ key: string; due: boolean }>(
      sql`select key, run_at <= now() as due from graphile_worker._private_jobs where key = ${`delivery:${lost!}`}`,
    )
    expect(jobs.rows).toEqual([{ key: `delivery:${lost!}`, due: true }])
    expect(await h.app.services.deliverer.requeueStranded()).toEqual([])

    const before = receiver.received.length
    await h.app.services.deliverer.deliver(lost!)
    expect(receiver.received).toHaveLength(before + 1)
    expect((await h.deliveries(hook.id)).find((d) => d.id === lost)).toMatchObject({ status: 'succeeded' })
  })
})

describe('a delivery another run has claimed', () => {
  const jobOf = async (id: string) =>
    (
      await h.database.db.execute<{ run_at: Date }>(
        sql`select run_at from graphile_worker._private_jobs where key = ${`delivery:${id}`} and locked_at is null`,
      )
    ).rows
  async function claimedDelivery() {
    const hook = await h.addWebhook(receiver.url)
    await h.createOrder(product.id)
    const [delivery] = await h.deliveries(hook.id)
    await h.database.db.execute(sql`delete from graphile_worker._private_jobs where key = ${`delivery:${delivery!.id}`}`)
    await h.database.db.execute(sql`update webhook_deliveries set claimed_until = now() + interval '1 minute' where id = ${delivery!.id}`)
    return delivery!.id
  }

  it('is not sent, and is looked at again when the claim ends', async () => {
    const id = await claimedDelivery()
    const before = receiver.received.length
    await h.app.services.deliverer.deliver(id)
    expect(receiver.received).toHaveLength(before)
    const [job] = await jobOf(id)
    expect(Math.abs(new Date(job!.run_at).getTime() - (Date.now() + 60_000))).toBeLessThan(5_000)
  })

  it('is looked at again even when this process’s clock says the claim has ended', async () => {
    const id = await claimedDelivery()
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 10 * 60_000 })
    try {
      await h.app.services.deliverer.deliver(id)
    } finally {
      vi.useRealTimers()
    }
    expect(await jobOf(id)).toHaveLength(1)
  })
})
