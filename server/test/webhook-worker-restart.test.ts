import { beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import type { Product } from '@deskflow/shared'
import { useHarness, until } from './helpers/harness'

/**
 * graphile-worker stops its whole pool when completing a batch of jobs fails once (under
 * load a deadlock between two batches is enough). The delivery worker starts a new pool,
 * hands the stopped pool's jobs back, and deliveries go on: none lost, none sent twice.
 * The failure is real: a PostgreSQL trigger refuses the first completion of a job.
 */
const h = useHarness(
  { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_ALLOW_HTTP: 'true', WORKER_HEARTBEAT_SECONDS: '0.5' },
  { deliveryWorker: true },
)
let product: Product

beforeAll(async () => {
  product = await h.createProduct()
  // A sequence, not a table: nextval is not undone when the refused statement rolls back.
  await h.database.db.execute(
    sql.raw(`
    create sequence job_completion_faults;
    create function refuse_first_completion() returns trigger language plpgsql as $$
    begin
      if nextval('job_completion_faults') = 1 then raise exception 'job completion refused on purpose'; end if;
      return old;
    end $$;
    create trigger refuse_first_completion before delete on graphile_worker._private_jobs
      for each row execute function refuse_first_completion();
  `),
  )
})

describe('a delivery worker pool that graphile-worker stops', () => {
  it('is replaced: the delivery it held arrives once, and later deliveries arrive too', async () => {
    const r = await h.receiver()
    const hook = await h.addWebhook(r.url)
    await h.createOrder(product.id)
    await until(
      () => h.deliveries(hook.id),
      (list) => list.length === 1 && list[0]!.status === 'succeeded',
      20_000,
    )
    // The pool stopped when completing that delivery's job, and a new one took over.
    await until(
      async () => h.logs.join(''),
      (logs) => logs.includes('delivery worker pool stopped by itself; starting a new one'),
      20_000,
    )
    await h.createOrder(product.id)
    const delivered = await until(
      () => h.deliveries(hook.id),
      (list) => list.length === 2 && list.every((d) => d.status === 'succeeded'),
      20_000,
    )
    expect(delivered.map((d) => d.attemptCount)).toEqual([1, 1])
    // Every job completed in the end; each order was received exactly once.
    await until(
      async () => (await h.database.db.execute(sql`select count(*)::int as n from graphile_worker._private_jobs`)).rows[0],
      (row) => (row as { n: number }).n === 0,
      20_000,
    )
    await new Promise((resolve) => setTimeout(resolve, 500))
    const orders = r.received.map((req) => (JSON.parse(req.body) as { data: { id: string } }).data.id)
    expect(orders).toHaveLength(2)
    expect(new Set(orders).size).toBe(2)
  })

  it('is replaced as soon as its shutdown begins, while a delivery it holds still hangs', async () => {
    // graphile-worker's shutdown waits for the pool's deliveries in flight; one whose receiver
    // never answers holds it until the send timeout (15 s), and under load one was seen never
    // to finish. Deliveries must not wait for it.
    await h.database.db.execute(sql`select setval('job_completion_faults', 1, false)`)
    const r = await h.receiver()
    let hangingClosedAt: number | null = null
    const hanging = await h.receiver((_req, _n, res) => {
      res.on('close', () => (hangingClosedAt ??= Date.now()))
    })
    const hook = await h.addWebhook(r.url)
    await h.addWebhook(hanging.url)
    const logsBefore = h.logs.join('').split('starting a new one').length
    await h.createOrder(product.id)
    await hanging.waitFor(1, 20_000)
    await until(
      async () => h.logs.join('').split('starting a new one').length,
      (n) => n > logsBefore,
      20_000,
    )
    await h.createOrder(product.id)
    const delivered = await until(
      () => h.deliveries(hook.id),
      (list) => list.length === 2 && list.every((d) => d.status === 'succeeded'),
      30_000,
    )
    expect(delivered).toHaveLength(2)
    // Both arrived while the stopped pool still waited for the hanging delivery.
    expect(r.received).toHaveLength(2)
    expect(hangingClosedAt === null || r.received[1]!.at < hangingClosedAt).toBe(true)
  })
})
