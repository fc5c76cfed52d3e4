import { beforeAll, describe, expect, it } from 'vitest'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import { eq } from 'drizzle-orm'
import type {
  AuditList,
  Delivery,
  DeliveryList,
  ErrorResponse,
  Order,
  Product,
  TestDeliveryResult,
  Webhook,
  WebhookSecret,
} from '@deskflow/shared'
import { webhookDeliveries, webhooks as webhooksTable } from '../src/db/schema'
import { useHarness, until, TEST_PASSWORD } from './helpers/harness'

const SCALE = 0.001
const h = useHarness(
  {
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_RETRY_SCALE: String(SCALE),
    WEBHOOK_TIMEOUT_MS: '500',
    WORKER_HEARTBEAT_SECONDS: '0.5',
  },
  { deliveryWorker: true },
)
let product: Product

beforeAll(async () => {
  product = await h.createProduct()
})

/** A webhook whose endpoint answers 503, failing since `since` ms ago, its last failure `lastFailure` ms ago. */
async function failingWebhook({ since, lastFailure }: { since: number; lastFailure: number }) {
  const r = await h.receiver((_req, _n, res) => {
    res.statusCode = 503
    res.end()
  })
  const hook = await h.addWebhook(r.url)
  await h.database.db
    .update(webhooksTable)
    .set({ failingSince: new Date(Date.now() - since), lastFailureAt: new Date(Date.now() - lastFailure) })
    .where(eq(webhooksTable.id, hook.id))
  return { r, hook }
}

describe('creating webhooks', () => {
  it('answers 201 with the id and a whsec_ signing secret, listed without the secret', async () => {
    const r = await h.receiver()
    const created = await h.addWebhook(r.url)
    expect(created.id).toMatch(/^wh_/)
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/)
    expect(created).toMatchObject({
      status: 'active',
      events: ['order.created'],
      secretLast4: created.secret.slice(-4),
      lastDelivery: null,
    })
    const list = await h.admin('GET', '/webhooks')
    expect(list.body).not.toContain(created.secret)
    expect(list.json<{ data: Webhook[] }>().data.map((w) => w.id)).toContain(created.id)
  })

  it.each([
    ['not a URL', { url: 'your-server', events: ['order.created'] }, 'url'],
    ['an unknown event', { url: 'https://example.com/hook', events: ['order.created', 'order.exploded'] }, 'events.1'],
    ['no event', { url: 'https://example.com/hook', events: [] }, 'events'],
    ['an event twice', { url: 'https://example.com/hook', events: ['order.created', 'order.created'] }, 'events'],
    ['a missing event', { url: 'https://example.com/hook' }, 'events'],
    ['the former single event', { url: 'https://example.com/hook', event: 'order.created' }, 'event'],
  ])('refuses %s with 422 naming the field, storing nothing', async (_name, body, field) => {
    const before = (await h.admin('GET', '/webhooks')).json<{ data: Webhook[] }>().data.length
    const res = await h.admin('POST', '/webhooks', body)
    expect(res.statusCode).toBe(422)
    expect(res.json<ErrorResponse>().error.details?.map((d) => d.field)).toContain(field)
    expect((await h.admin('GET', '/webhooks')).json<{ data: Webhook[] }>().data.length).toBe(before)
  })

  it("hides another store's webhooks (404)", async () => {
    const r = await h.receiver()
    const mine = await h.addWebhook(r.url)
    const other = await h.newStore()
    const res = await other.signedIn('GET', `/stores/${h.storeKey}/webhooks/${mine.id}`)
    expect(res.statusCode).toBe(404)
    const theirs = await other.admin('POST', `/webhooks/${mine.id}/test`)
    expect(theirs.statusCode).toBe(404)
    expect(r.received).toHaveLength(0)
  })
})

describe('delivering events', () => {
  it('delivers order.created signed per Standard Webhooks, with the body { id, type, timestamp, data }', async () => {
    const r = await h.receiver()
    const hook = await h.addWebhook(r.url)
    const order = await h.createOrder(product.id)
    const [got] = await r.waitFor(1)
    const verified = new StandardWebhook(hook.secret).verify(got!.body, got!.headers as Record<string, string>) as Record<string, unknown>
    expect(verified).toMatchObject({ type: 'order.created', data: { id: order.id, total: 1250 } })
    expect(Object.keys(JSON.parse(got!.body))).toEqual(['id', 'type', 'timestamp', 'data'])
    expect(verified.id).toMatch(/^evt_[0-9a-z]{21}$/)
    expect(got!.headers['webhook-id']).toMatch(/^msg_/)
    expect(() =>
      new StandardWebhook(`whsec_${Buffer.from('x'.repeat(24)).toString('base64')}`).verify(
        got!.body,
        got!.headers as Record<string, string>,
      ),
    ).toThrow()
    const [log] = await until(
      () => h.deliveries(hook.id),
      (d) => d[0]?.status === 'succeeded',
    )
    expect(log).toMatchObject({ status: 'succeeded', attemptCount: 1, messageId: got!.headers['webhook-id'], test: false })
    expect(log!.attempts[0]).toMatchObject({ statusCode: 200, responseBody: 'ok', error: null })
    expect(log!.attempts[0]!.requestHeaders['webhook-signature']).toMatch(/^v1,/)
  })

  it('to a webhook of several events, each of them once, and nothing else; its events can change', async () => {
    const r = await h.receiver()
    const hook = await h.addWebhook(r.url, ['product.created', 'order.created'])
    // Kept in the catalogue's order, whatever order they were chosen in.
    expect(hook.events).toEqual(['order.created', 'product.created'])
    const made = await h.createProduct({ name: 'Teapot', price: 3000 })
    await h.createOrder(made.id)
    await r.waitFor(2)
    await h.create('/v1/categories', { name: 'Not listened to' })
    expect(r.received.map((d) => JSON.parse(d.body).type).sort()).toEqual(['order.created', 'product.created'])

    const edited = await h.admin('PATCH', `/webhooks/${hook.id}`, { events: ['category.created'] })
    expect(edited.json<Webhook>().events).toEqual(['category.created'])
    await h.createOrder(made.id)
    await h.create('/v1/categories', { name: 'Listened to' })
    await r.waitFor(3)
    expect(JSON.parse(r.received[2]!.body).type).toBe('category.created')
    // A delivery is written with its event, in the same statement: the category made before
    // the change and the order after it made none.
    expect((await h.deliveries(hook.id)).map((d) => d.eventType).sort()).toEqual(['category.created', 'order.created', 'product.created'])
    expect((await h.admin('PATCH', `/webhooks/${hook.id}`, { events: [] })).statusCode).toBe(422)
  })

  it('only to webhooks of the event: a product.created webhook gets no order', async () => {
    const r = await h.receiver()
    await h.addWebhook(r.url, 'product.created')
    const orders = await h.receiver()
    await h.addWebhook(orders.url)
    await h.createOrder(product.id)
    await orders.waitFor(1)
    expect(r.received).toHaveLength(0)
  })

  it('sends nothing for a change that was rolled back', async () => {
    const r = await h.receiver()
    const hook = await h.addWebhook(r.url)
    const scarce = (await h.v1('POST', '/v1/products', { name: 'Scarce', price: 1, stock: 0 })).json<Product>()
    const refused = await h.v1('POST', '/v1/orders', { lineItems: [{ productId: scarce.id, quantity: 1 }] })
    expect(refused.statusCode).toBe(409)
    await new Promise((res) => setTimeout(res, 300))
    expect(r.received).toHaveLength(0)
    expect(await h.deliveries(hook.id)).toHaveLength(0)
  })

  it('retries on the schedule (scaled), keeping the same webhook-id, until a 2xx', async () => {
    const r = await h.receiver((_req, n, res) => {
      res.statusCode = n <= 3 ? 500 : 200
      res.end(n <= 3 ? 'not yet' : 'ok')
    })
    const hook = await h.addWebhook(r.url)
    await h.createOrder(product.id)
    const got = await r.waitFor(4, 15_000)
    expect(new Set(got.map((g) => g.headers['webhook-id'])).size).toBe(1)
    const gaps = got.slice(1).map((g, i) => g.at - got[i]!.at)
    // 5 s, 5 min and 30 min, scaled by 0.001: 5 ms, 300 ms, 1800 ms (and never sooner).
    expect(gaps[0]).toBeGreaterThanOrEqual(5)
    expect(gaps[1]).toBeGreaterThanOrEqual(300)
    expect(gaps[2]).toBeGreaterThanOrEqual(1800)
    const [log] = await until(
      () => h.deliveries(hook.id),
      (d) => d[0]?.status === 'succeeded',
    )
    expect(log!.attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 200])
    expect(log!.attempts[0]!.error).toContain('HTTP 500')
  })

  it('honours Retry-After on 429', async () => {
    const r = await h.receiver((_req, n, res) => {
      if (n === 1) {
        res.statusCode = 429
        res.setHeader('retry-after', '1500')
      }
      res.end()
    })
    await h.addWebhook(r.url)
    await h.createOrder(product.id)
    const got = await r.waitFor(2, 10_000)
    // 1500 s scaled is 1.5 s, far beyond the scheduled 5 ms.
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(1500)
  })

  it('410 Gone disables the webhook and stops retrying', async () => {
    const r = await h.receiver((_req, _n, res) => {
      res.statusCode = 410
      res.end('gone')
    })
    const hook = await h.addWebhook(r.url)
    await h.createOrder(product.id)
    await r.waitFor(1)
    const after = await until(
      async () => (await h.admin('GET', `/webhooks/${hook.id}`)).json<Webhook>(),
      (w) => w.status === 'disabled',
    )
    expect(after.disabledReason).toContain('410')
    const [log] = await until(
      () => h.deliveries(hook.id),
      (d) => d[0]?.status === 'failed',
    )
    expect(log!.attemptCount).toBe(1)
    await new Promise((res) => setTimeout(res, 300))
    expect(r.received).toHaveLength(1)
  })

  it('does not follow redirects', async () => {
    const target = await h.receiver()
    const r = await h.receiver((_req, _n, res) => {
      res.statusCode = 302
      res.setHeader('location', target.url)
      res.end()
    })
    const hook = await h.addWebhook(r.url)
    await h.createOrder(product.id)
    await r.waitFor(1)
    const [log] = await until(
      () => h.deliveries(hook.id),
      (d) => (d[0]?.attempts.length ?? 0) > 0,
    )
    expect(log!.attempts[0]!.statusCode).toBe(302)
    expect(log!.attempts[0]!.error).toMatch(/Redirect .* not followed/)
    expect(target.received).toHaveLength(0)
  })

  it('gives up on a receiver that does not answer in time', async () => {
    const r = await h.receiver(() => {})
    const hook = await h.addWebhook(r.url)
    await h.createOrder(product.id)
    const [log] = await until(
      () => h.deliveries(hook.id),
      (d) => (d[0]?.attempts.length ?? 0) > 0,
    )
    expect(log!.attempts[0]!.error).toMatch(/Timed out/)
    expect(log!.attempts[0]!.durationMs).toBeGreaterThanOrEqual(450)
    expect(log!.attempts[0]!.durationMs).toBeLessThan(3000)
  })

  it('keeps only the first 4 KB of a large response', async () => {
    const r = await h.receiver((_req, _n, res) => res.end('x'.repeat(200_000)))
    const hook = await h.addWebhook(r.url)
    await h.createOrder(product.id)
    const [log] = await until(
      () => h.deliveries(hook.id),
      (d) => d[0]?.status === 'succeeded',
    )
    expect(log!.attempts[0]!.responseBody).toHaveLength(4096)
    expect(log!.attempts[0]!.responseTruncated).toBe(true)
  })
})

describe('pausing, replaying and redelivering', () => {
  it('holds events while paused and replays them after resuming', async () => {
    const r = await h.receiver()
    const hook = await h.addWebhook(r.url)
    await h.admin('PATCH', `/webhooks/${hook.id}`, { status: 'paused' })
    const orders = [await h.createOrder(product.id), await h.createOrder(product.id)]
    await new Promise((res) => setTimeout(res, 300))
    expect(r.received).toHaveLength(0)
    const paused = (await h.admin('GET', `/webhooks/${hook.id}`)).json<Webhook>()
    expect(paused).toMatchObject({ status: 'paused', heldCount: 2 })

    expect((await h.admin('PATCH', `/webhooks/${hook.id}`, { status: 'active' })).json<Webhook>().status).toBe('active')
    const replay = await h.admin('POST', `/webhooks/${hook.id}/replay`, { since: hook.createdAt, include: ['held'] })
    expect(replay.statusCode).toBe(202)
    expect(replay.json()).toEqual({ queued: 2 })
    const got = await r.waitFor(2)
    expect(got.map((g) => JSON.parse(g.body).data.id).sort()).toEqual(orders.map((o) => o.id).sort())
  })

  it('redelivers one delivery under its original webhook-id', async () => {
    const r = await h.receiver()
    const hook = await h.addWebhook(r.url)
    await h.createOrder(product.id)
    await r.waitFor(1)
    const [log] = await until(
      () => h.deliveries(hook.id),
      (d) => d[0]?.status === 'succeeded',
    )
    const res = await h.admin('POST', `/webhooks/${hook.id}/deliveries/${log!.id}/redeliver`)
    expect(res.statusCode).toBe(202)
    const got = await r.waitFor(2)
    expect(got[1]!.headers['webhook-id']).toBe(got[0]!.headers['webhook-id'])
    const again = await until(
      () => h.deliveries(hook.id),
      (d) => d[0]?.attemptCount === 2,
    )
    expect(again[0]!.attempts).toHaveLength(2)
  })

  it("ends an attempt's claim with it when the delivery was settled by hand meanwhile, so a replay goes at once", async () => {
    let answer: () => void = () => undefined
    const r = await h.receiver((_req, _n, res) => {
      // Held until the test has marked the delivery failed.
      answer = () => {
        res.statusCode = 500
        res.end()
      }
    })
    const hook = await h.addWebhook(r.url)
    await h.database.db.update(webhooksTable).set({ failingSince: null }).where(eq(webhooksTable.id, hook.id))
    await h.createOrder(product.id)
    await r.waitFor(1)
    const [inFlight] = await h.deliveries(hook.id)
    await h.database.db.update(webhookDeliveries).set({ status: 'failed' }).where(eq(webhookDeliveries.id, inFlight!.id))
    answer()
    await until(
      async () => (await h.database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, inFlight!.id)))[0]!,
      (row) => row.claimedUntil === null,
    )
    r.respondWith((_req, _n, res) => res.end('ok'))
    const started = Date.now()
    expect(
      (
        await h.admin('POST', `/webhooks/${hook.id}/replay`, { since: new Date(Date.now() - 60_000).toISOString(), include: ['failed'] })
      ).json(),
    ).toEqual({
      queued: 1,
    })
    await until(
      () => h.deliveries(hook.id),
      (d) => d[0]?.status === 'succeeded',
    )
    // Well within the claim it would otherwise have waited for (the send timeout and 5 s).
    expect(Date.now() - started).toBeLessThan(4000)
  })

  it('replays every failed delivery since a time', async () => {
    const r = await h.receiver((_req, _n, res) => {
      res.statusCode = 500
      res.end()
    })
    const hook = await h.addWebhook(r.url)
    await h.database.db.update(webhooksTable).set({ failingSince: null }).where(eq(webhooksTable.id, hook.id))
    await h.createOrder(product.id)
    // Let it fail for good quickly: the delivery is marked failed directly.
    const [pending] = await until(
      () => h.deliveries(hook.id),
      (d) => (d[0]?.attemptCount ?? 0) >= 1,
    )
    await h.database.db.update(webhookDeliveries).set({ status: 'failed' }).where(eq(webhookDeliveries.id, pending!.id))
    // A retry claimed just before that update is still in flight: wait until every
    // claimed attempt is recorded (it fails against the 500), so none can succeed later.
    await until(
      () => h.deliveries(hook.id),
      (d) => d[0]?.status === 'failed' && d[0].attempts.length === d[0].attemptCount && d[0].attempts.every((a) => a.statusCode === 500),
    )
    r.respondWith((_req, _n, res) => res.end('ok'))
    const replay = await h.admin('POST', `/webhooks/${hook.id}/replay`, {
      since: new Date(Date.now() - 60_000).toISOString(),
      include: ['failed'],
    })
    expect(replay.json()).toEqual({ queued: 1 })
    await until(
      () => h.deliveries(hook.id),
      (d) => d[0]?.status === 'succeeded',
    )
  })

  it('disables a webhook that has failed without a success for the configured time', async () => {
    // Five days of failures so far, the last one a minute ago; the next failure crosses the line.
    const { hook } = await failingWebhook({ since: 121 * 3600_000, lastFailure: 60_000 })
    await h.createOrder(product.id)
    const after = await until(
      async () => (await h.admin('GET', `/webhooks/${hook.id}`)).json<Webhook>(),
      (w) => w.status === 'disabled',
    )
    expect(after.disabledReason).toMatch(/failed for 5 days/)
    const [log] = await until(
      () => h.deliveries(hook.id),
      (d) => d[0]?.status === 'held',
    )
    expect(log!.attemptCount).toBe(1)
    const reenabled = (await h.admin('PATCH', `/webhooks/${hook.id}`, { status: 'active' })).json<Webhook>()
    expect(reenabled).toMatchObject({ status: 'active', disabledReason: null, failingSince: null, heldCount: 1 })
  })
})

describe('a receiver that is down for a while', () => {
  it('gets every event once it is back (retries on the scaled schedule)', async () => {
    const first = await h.receiver()
    const hook = await h.addWebhook(first.url)
    const port = first.port
    await first.close()
    const orders = [await h.createOrder(product.id), await h.createOrder(product.id), await h.createOrder(product.id)]
    // Down through the first attempts (at once, 5 ms, 300 ms scaled)…
    await until(
      () => h.deliveries(hook.id),
      (d) => d.length === 3 && d.every((x) => x.attemptCount >= 2),
      10_000,
    )
    // …then back on the same address.
    const back = await h.receiver(undefined, port)
    const got = await back.waitFor(3, 15_000)
    expect(got.map((g) => JSON.parse(g.body).data.id).sort()).toEqual(orders.map((o) => o.id).sort())
    const log = await until(
      () => h.deliveries(hook.id),
      (d) => d.every((x) => x.status === 'succeeded'),
    )
    expect(log.every((d) => d.attempts.at(-1)!.statusCode === 200 && d.attempts[0]!.error!.startsWith('Connection refused'))).toBe(true)
  })
})

describe('failing streaks', () => {
  it('restart after a quiet gap longer than the retry horizon: one new failure does not disable', async () => {
    // Failures began six days ago, but the last one was three days ago: not "continuous".
    const { r, hook } = await failingWebhook({ since: 6 * 86_400_000, lastFailure: 3 * 86_400_000 })
    await h.createOrder(product.id)
    await r.waitFor(1)
    const after = await until(
      async () => (await h.admin('GET', `/webhooks/${hook.id}`)).json<Webhook>(),
      (w) => w.failingSince !== null && Date.now() - new Date(w.failingSince).getTime() < 60_000,
    )
    expect(after.status).toBe('active')
    await h.admin('PATCH', `/webhooks/${hook.id}`, { status: 'paused' })
  })
})

describe('redelivering', () => {
  it('is refused for a delivery still queued or in flight, and for a Send Dummy test', async () => {
    const slow = await h.receiver((_req, _n, res) => setTimeout(() => res.end('ok'), 400))
    const hook = await h.addWebhook(slow.url)
    await h.createOrder(product.id)
    const [pending] = await until(
      () => h.deliveries(hook.id),
      (d) => d.length === 1,
    )
    const again = await h.admin('POST', `/webhooks/${hook.id}/deliveries/${pending!.id}/redeliver`)
    expect(again.statusCode).toBe(409)
    await slow.waitFor(1)
    await new Promise((res) => setTimeout(res, 600))
    expect(slow.received).toHaveLength(1)
    const test = (await h.admin('POST', `/webhooks/${hook.id}/test`)).json<TestDeliveryResult>()
    expect((await h.admin('POST', `/webhooks/${hook.id}/deliveries/${test.deliveryId}/redeliver`)).statusCode).toBe(409)
  })
})

describe('Send Dummy', () => {
  it("sends a sample of the event asked for, one of the webhook's events, and refuses any other naming the field", async () => {
    const r = await h.receiver()
    const hook = await h.addWebhook(r.url, ['order.created', 'customer.created'])
    const first = await h.admin('POST', `/webhooks/${hook.id}/test`)
    expect(first.statusCode).toBe(200)
    const chosen = await h.admin('POST', `/webhooks/${hook.id}/test`, { event: 'order.created' })
    expect(chosen.statusCode).toBe(200)
    await r.waitFor(2)
    // Without a choice, the first of its events in the catalogue's order.
    expect(r.received.map((d) => JSON.parse(d.body).type)).toEqual(['customer.created', 'order.created'])
    const other = await h.admin('POST', `/webhooks/${hook.id}/test`, { event: 'product.deleted' })
    expect(other.statusCode).toBe(422)
    expect(other.json<ErrorResponse>().error.details?.map((d) => d.field)).toEqual(['event'])
    expect(r.received).toHaveLength(2)
  })

  it('sends a signed sample now and answers with the status, headers and body; logged as a test', async () => {
    const r = await h.receiver((_req, _n, res) => {
      res.setHeader('x-receiver', 'demo')
      res.end('{"received":true}')
    })
    const hook = await h.addWebhook(r.url)
    const res = await h.admin('POST', `/webhooks/${hook.id}/test`)
    expect(res.statusCode).toBe(200)
    const result = res.json<TestDeliveryResult>()
    expect(result).toMatchObject({ ok: true, statusCode: 200, responseBody: '{"received":true}', error: null })
    expect(result.responseHeaders['x-receiver']).toBe('demo')
    const [got] = r.received
    const sample = new StandardWebhook(hook.secret).verify(got!.body, got!.headers as Record<string, string>) as {
      type: string
      data: Order
    }
    expect(sample.type).toBe('order.created')
    expect(sample.data.lineItems.length).toBeGreaterThan(0)
    const [log] = await h.deliveries(hook.id)
    expect(log).toMatchObject({ test: true, status: 'succeeded', id: result.deliveryId })
  })

  it('explains a refused connection in words, and never retries a test', async () => {
    const r = await h.receiver()
    const hook = await h.addWebhook(r.url)
    await r.close()
    const result = (await h.admin('POST', `/webhooks/${hook.id}/test`)).json<TestDeliveryResult>()
    expect(result.ok).toBe(false)
    expect(result.statusCode).toBeNull()
    expect(result.error).toMatch(/^Connection refused: nothing is accepting connections at 127\.0\.0\.1:\d+$/)
    const [log] = await h.deliveries(hook.id)
    expect(log).toMatchObject({ test: true, status: 'failed', attemptCount: 1 })
  })
})

describe('signing secrets', () => {
  it('reveals with the password only, and after a rotation signs with both secrets for 24 hours', async () => {
    const r = await h.receiver()
    const hook = await h.addWebhook(r.url)
    expect((await h.admin('POST', `/webhooks/${hook.id}/reveal-secret`, { password: 'wrong' })).statusCode).toBe(403)
    const revealed = (await h.admin('POST', `/webhooks/${hook.id}/reveal-secret`, { password: TEST_PASSWORD })).json<WebhookSecret>()
    expect(revealed.secret).toBe(hook.secret)

    const audit = (await h.admin('GET', '/audit-log?limit=100')).json<AuditList>().data.filter((e) => e.targetId === hook.id)
    expect(audit.map((e) => [e.action, e.targetType, e.metadata])).toEqual([
      ['webhook.secret_revealed', 'webhook', {}],
      ['webhook.secret_reveal_refused', 'webhook', { reason: 'wrong password' }],
      ['webhook.created', 'webhook', { url: r.url, events: ['order.created'] }],
    ])

    const rotated = (await h.admin('POST', `/webhooks/${hook.id}/rotate-secret`)).json<WebhookSecret>()
    expect(rotated.secret).not.toBe(hook.secret)
    expect(new Date(rotated.previousSecretExpiresAt!).getTime() - Date.now()).toBeGreaterThan(23.9 * 3600_000)
    await h.admin('POST', `/webhooks/${hook.id}/test`)
    const [got] = r.received
    expect((got!.headers['webhook-signature'] as string).split(' ')).toHaveLength(2)
    for (const secret of [hook.secret, rotated.secret]) {
      expect(() => new StandardWebhook(secret).verify(got!.body, got!.headers as Record<string, string>)).not.toThrow()
    }
  })
})

describe('the delivery log', () => {
  it('pages newest first and filters by status', async () => {
    const r = await h.receiver()
    const hook = await h.addWebhook(r.url)
    for (let i = 0; i < 3; i++) await h.createOrder(product.id)
    await r.waitFor(3)
    await until(
      () => h.deliveries(hook.id),
      (d) => d.filter((x) => x.status === 'succeeded').length === 3,
    )
    const first = (await h.admin('GET', `/webhooks/${hook.id}/deliveries?limit=2`)).json<DeliveryList>()
    expect(first.data).toHaveLength(2)
    const second = (await h.admin('GET', `/webhooks/${hook.id}/deliveries?limit=2&cursor=${first.nextCursor}`)).json<DeliveryList>()
    expect(second.data).toHaveLength(1)
    expect(first.data[0]!.id > first.data[1]!.id && first.data[1]!.id > second.data[0]!.id).toBe(true)
    const failed = (await h.admin('GET', `/webhooks/${hook.id}/deliveries?status=failed`)).json<DeliveryList>()
    expect(failed.data).toHaveLength(0)
    expect((await h.admin('POST', `/webhooks/${hook.id}/deliveries/whd_nope/redeliver`)).statusCode).toBe(404)
    const one: Delivery = first.data[0]!
    expect(one.payload).toMatchObject({ type: 'order.created' })
  })
})
