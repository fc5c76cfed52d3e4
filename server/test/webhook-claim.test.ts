import { beforeAll, describe, expect, it } from 'vitest'
import type { Product } from '@deskflow/shared'
import { useHarness } from './helpers/harness'
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
