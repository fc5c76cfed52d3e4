import { beforeAll, describe, expect, it } from 'vitest'
import type { Product } from '@deskflow/shared'
import { IN_FLIGHT_PER_WEBHOOK } from '../src/features/webhooks/queue'
import { useHarness } from './helpers/harness'
import type { Receiver } from './helpers/receiver'

/**
 * One receiver that hangs until the timeout holds at most IN_FLIGHT_PER_WEBHOOK of the
 * workers' slots: the other webhooks' deliveries do not wait behind it.
 */
const TIMEOUT_MS = 2000
const CONCURRENCY = IN_FLIGHT_PER_WEBHOOK + 1
const h = useHarness(
  {
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
    WEBHOOK_CONCURRENCY: String(CONCURRENCY),
    WEBHOOK_RETRY_SCALE: '1',
  },
  { deliveryWorker: true },
)
let product: Product
let hanging: Receiver
const healthy: Receiver[] = []

beforeAll(async () => {
  product = await h.createProduct()
  // Answers only after the sender has given up.
  hanging = await h.receiver((_req, _n, res) => setTimeout(() => res.end('late'), TIMEOUT_MS + 500))
  for (let i = 0; i < 9; i++) healthy.push(await h.receiver())
})

describe('a receiver that hangs', () => {
  it('does not delay the other webhooks: they are delivered long before its attempts time out', async () => {
    await h.addWebhook(hanging.url, 'customer.created')
    for (const r of healthy) await h.addWebhook(r.url, 'order.created')
    // Far more deliveries for the hanging receiver than the workers have slots.
    for (let i = 0; i < CONCURRENCY * 4; i++) {
      expect((await h.v1('POST', '/v1/customers', { email: `c${i}@example.com`, firstName: 'C', lastName: String(i) })).statusCode).toBe(
        201,
      )
    }
    await hanging.waitFor(IN_FLIGHT_PER_WEBHOOK)
    const started = Date.now()
    expect((await h.v1('POST', '/v1/orders', { lineItems: [{ productId: product.id, quantity: 1 }] })).statusCode).toBe(201)
    await Promise.all(healthy.map((r) => r.waitFor(1, TIMEOUT_MS * 10)))
    const tookMs = Date.now() - started
    // Without a per-webhook cap every slot waits on the hanging receiver for a whole timeout first.
    expect(tookMs).toBeLessThan(TIMEOUT_MS / 2)
    // And it never had more than its share in flight at once.
    const arrivals = hanging.received.map((r) => r.at)
    const mostAtOnce = Math.max(...arrivals.map((at) => arrivals.filter((other) => other >= at && other < at + TIMEOUT_MS / 2).length))
    expect(mostAtOnce).toBeLessThanOrEqual(IN_FLIGHT_PER_WEBHOOK)
  }, 60_000)
})
