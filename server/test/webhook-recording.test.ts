import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { RETRY_SCHEDULE_SECONDS, type Product, type TestDeliveryResult } from '@deskflow/shared'
import { webhookDeliveries, webhooks as webhooksTable } from '../src/db/schema'
import { LOST_ATTEMPT_ERROR, UNSTORED_ANSWER } from '../src/features/webhooks/deliver'
import { useHarness, until } from './helpers/harness'
import type { Respond } from './helpers/receiver'

/**
 * Whatever happens after a webhook is sent (an answer the database cannot store, the
 * database refusing or failing to record the attempt), a delivery is sent at most as
 * often as its retry schedule allows and ends succeeded or failed, every attempt in the log.
 * Recording is made to fail on purpose with a real PostgreSQL trigger.
 */
const SCALE = 0.0001
const h = useHarness(
  {
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_RETRY_SCALE: String(SCALE),
    WEBHOOK_TIMEOUT_MS: '1000',
    WORKER_HEARTBEAT_SECONDS: '0.5',
  },
  { deliveryWorker: true },
)
let product: Product

beforeAll(async () => {
  product = await h.createProduct()
  // The fault: while `fail_until` lies ahead every attempt entry is refused; with
  // `refuse_answers` every entry that carries the receiver's answer is.
  await h.database.db.execute(
    sql.raw(`
    create table recording_faults (fail_until timestamptz, refuse_answers boolean not null default false);
    insert into recording_faults values (null, false);
    create function refuse_recording() returns trigger language plpgsql as $$
    declare f recording_faults;
    begin
      select * into f from recording_faults;
      if f.fail_until > clock_timestamp() then raise exception 'recording refused on purpose'; end if;
      if f.refuse_answers and new.response_body not in ('', ${quote(UNSTORED_ANSWER)}) then raise exception 'answer refused on purpose'; end if;
      return new;
    end $$;
    create trigger refuse_recording before insert or update on webhook_attempts for each row execute function refuse_recording();
  `),
  )
})
afterEach(() => fault({ failForMs: 0, refuseAnswers: false }))

function quote(text: string) {
  return `'${text.replaceAll("'", "''")}'`
}

async function fault({ failForMs, refuseAnswers }: { failForMs: number; refuseAnswers: boolean }) {
  await h.database.db.execute(
    sql`update recording_faults set fail_until = clock_timestamp() + make_interval(secs => ${failForMs / 1000}), refuse_answers = ${refuseAnswers}`,
  )
}

/** The webhook's deliveries once every one of them has ended (succeeded or failed). */
const settled = (webhookId: string, timeoutMs = 30_000) =>
  until(
    () => h.deliveries(webhookId),
    (list) => list.length > 0 && list.every((d) => d.status === 'succeeded' || d.status === 'failed'),
    timeoutMs,
  )

const quiet = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * An order sent to a receiver answering with `answer`: the receiver, and the delivery
 * once it has ended and a further `quietMs` passed without anything else being sent.
 */
async function orderDelivered(answer?: Respond, { timeoutMs = 30_000, quietMs = 300 } = {}) {
  const r = await h.receiver(answer)
  const hook = await h.addWebhook(r.url)
  await h.createOrder(product.id)
  const [delivery] = await settled(hook.id, timeoutMs)
  await quiet(quietMs)
  return { r, hook, delivery }
}

const ODD_ANSWERS: Array<[string, Buffer]> = [
  ['a NUL byte', Buffer.from('ok\u0000done')],
  ['invalid UTF-8', Buffer.from([0x6f, 0x6b, 0xff, 0xfe, 0xc3, 0x28])],
  [
    'binary (a PNG header and random bytes)',
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
      Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37) % 256)),
    ]),
  ],
]

describe('any answer a receiver gives', () => {
  it.each(ODD_ANSWERS)('200 with %s: delivered once, the answer kept as text, Send Dummy and redeliver work', async (_name, answer) => {
    const { r, hook, delivery } = await orderDelivered((_req, _n, res) => res.end(answer))
    expect(r.received).toHaveLength(1)
    expect(delivery).toMatchObject({ status: 'succeeded', attemptCount: 1 })
    expect(delivery!.attempts).toHaveLength(1)
    const stored = delivery!.attempts[0]!.responseBody
    expect(stored).not.toContain('\u0000')
    expect(stored).toContain('\ufffd')

    const test = await h.admin('POST', `/webhooks/${hook.id}/test`)
    expect(test.statusCode, test.body).toBe(200)
    expect(test.json<TestDeliveryResult>()).toMatchObject({ ok: true, statusCode: 200 })
    expect(r.received).toHaveLength(2)

    const again = await h.admin('POST', `/webhooks/${hook.id}/deliveries/${delivery!.id}/redeliver`)
    expect(again.statusCode, again.body).toBe(202)
    await r.waitFor(3)
    const log = await settled(hook.id)
    expect(log.find((d) => d.id === delivery!.id)).toMatchObject({ status: 'succeeded', attemptCount: 2 })
    expect(log.find((d) => d.test)).toMatchObject({ status: 'succeeded' })
  })
})

describe('when recording the attempt fails after the send', () => {
  it('an answer the database refuses: the attempt is logged without it, and the delivery still succeeds after one send', async () => {
    await fault({ failForMs: 0, refuseAnswers: true })
    const { r, delivery } = await orderDelivered()
    expect(r.received).toHaveLength(1)
    expect(delivery).toMatchObject({ status: 'succeeded', attemptCount: 1 })
    expect(delivery!.attempts.map((a) => [a.number, a.statusCode, a.responseBody])).toEqual([[1, 200, UNSTORED_ANSWER]])
  })

  it('a failing receiver whose answers cannot be stored: sent exactly as often as the schedule allows, then failed, every attempt logged', async () => {
    await fault({ failForMs: 0, refuseAnswers: true })
    const { r, delivery } = await orderDelivered(
      (_req, _n, res) => {
        res.statusCode = 500
        res.end('broken')
      },
      { timeoutMs: 60_000, quietMs: 500 },
    )
    expect(r.received).toHaveLength(RETRY_SCHEDULE_SECONDS.length)
    expect(delivery).toMatchObject({ status: 'failed', attemptCount: RETRY_SCHEDULE_SECONDS.length })
    expect(delivery!.attempts.map((a) => a.number)).toEqual(RETRY_SCHEDULE_SECONDS.map((_, i) => i + 1))
    expect(delivery!.attempts.every((a) => a.statusCode === 500 && a.responseBody === UNSTORED_ANSWER)).toBe(true)
  }, 90_000)

  it('the database refusing every write for seconds: the outcome is recorded once it is back, without sending again', async () => {
    const { r, delivery } = await orderDelivered(
      (_req, n, res) => {
        // The fault starts as the first request arrives, before its outcome is recorded.
        if (n === 1) void fault({ failForMs: 6_000, refuseAnswers: false }).then(() => res.end('ok'))
        else res.end('ok')
      },
      { timeoutMs: 40_000, quietMs: 500 },
    )
    expect(r.received).toHaveLength(1)
    expect(delivery).toMatchObject({ status: 'succeeded', attemptCount: 1 })
    expect(delivery!.attempts.map((a) => [a.number, a.statusCode, a.responseBody])).toEqual([[1, 200, 'ok']])
  }, 60_000)

  it('Send Dummy answers with what the receiver said even when the log refuses it', async () => {
    const r = await h.receiver((_req, _n, res) => res.end('fine'))
    const hook = await h.addWebhook(r.url)
    await fault({ failForMs: 0, refuseAnswers: true })
    const lean = await h.admin('POST', `/webhooks/${hook.id}/test`)
    expect(lean.statusCode, lean.body).toBe(200)
    expect(lean.json<TestDeliveryResult>()).toMatchObject({ ok: true, responseBody: 'fine' })
    const [logged] = await h.deliveries(hook.id)
    expect(logged).toMatchObject({ test: true, status: 'succeeded' })
    expect(logged!.attempts[0]!.responseBody).toBe(UNSTORED_ANSWER)

    await fault({ failForMs: 10_000, refuseAnswers: false })
    const refused = await h.admin('POST', `/webhooks/${hook.id}/test`)
    expect(refused.statusCode, refused.body).toBe(200)
    expect(refused.json<TestDeliveryResult>()).toMatchObject({ ok: true, responseBody: 'fine' })
    expect(r.received).toHaveLength(2)
  })
})

describe('attempts claimed but never recorded (a worker that died after sending)', () => {
  /** A delivery left as a killed worker leaves it: claimed `made` times, the claim run out, nothing in the log. */
  async function abandoned(made: number) {
    const r = await h.receiver()
    const hook = await h.addWebhook(r.url)
    await h.admin('PATCH', `/webhooks/${hook.id}`, { status: 'paused' })
    await h.createOrder(product.id)
    const [held] = await h.deliveries(hook.id)
    expect(held).toMatchObject({ status: 'held', attemptCount: 0 })
    await h.database.db.update(webhooksTable).set({ status: 'active' }).where(eq(webhooksTable.id, hook.id))
    await h.database.db
      .update(webhookDeliveries)
      .set({ status: 'pending', attemptCount: made, claimedUntil: new Date(Date.now() - 1000) })
      .where(eq(webhookDeliveries.id, held!.id))
    return { r, hook, deliveryId: held!.id }
  }

  it('are logged as not recorded, and the next attempt carries on', async () => {
    const { r, hook, deliveryId } = await abandoned(1)
    await h.app.services.deliverer.deliver(deliveryId)
    expect(r.received).toHaveLength(1)
    const [delivery] = await h.deliveries(hook.id)
    expect(delivery).toMatchObject({ status: 'succeeded', attemptCount: 2 })
    expect(delivery!.attempts.map((a) => [a.number, a.statusCode, a.error])).toEqual([
      [1, null, LOST_ATTEMPT_ERROR],
      [2, 200, null],
    ])
  })

  it('once they use up the schedule, the delivery fails without another send', async () => {
    const { r, hook, deliveryId } = await abandoned(RETRY_SCHEDULE_SECONDS.length)
    await h.app.services.deliverer.deliver(deliveryId)
    await h.app.services.deliverer.deliver(deliveryId)
    expect(r.received).toHaveLength(0)
    const [delivery] = await h.deliveries(hook.id)
    expect(delivery).toMatchObject({ status: 'failed', attemptCount: RETRY_SCHEDULE_SECONDS.length })
    expect(delivery!.attempts).toHaveLength(RETRY_SCHEDULE_SECONDS.length)
    expect(delivery!.attempts.every((a) => a.error === LOST_ATTEMPT_ERROR)).toBe(true)
  })
})

describe('a webhook deleted while its delivery is being sent', () => {
  const jobsFor = async (deliveryId: string) =>
    (
      await h.database.db.execute<{ attempts: number; last_error: string | null }>(
        sql`select attempts, last_error from graphile_worker._private_jobs where payload->>'deliveryId' = ${deliveryId}`,
      )
    ).rows

  it.each([200, 500])(
    'the receiver answers %i after the delete: the job ends, nothing is sent again, no error is logged',
    async (status) => {
      let answer!: () => void
      const deleted = new Promise<void>((resolve) => (answer = resolve))
      const r = await h.receiver((_req, _n, res) => {
        void deleted.then(() => {
          res.statusCode = status
          res.end('late')
        })
      })
      const hook = await h.addWebhook(r.url)
      const logged = h.logs.length
      await h.createOrder(product.id)
      await r.waitFor(1)
      const [delivery] = await h.deliveries(hook.id)
      expect((await h.admin('DELETE', `/webhooks/${hook.id}`)).statusCode).toBe(204)
      answer()

      await until(
        () => jobsFor(delivery!.id),
        (jobs) => jobs.length === 0,
      )
      await quiet(300)
      expect(r.received).toHaveLength(1)
      expect(h.logs.slice(logged).filter((line) => line.includes('"level":50'))).toEqual([])
    },
  )
})
