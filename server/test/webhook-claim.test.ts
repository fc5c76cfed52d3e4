import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreatedWebhook, DeliveryList, Product } from '@deskflow/shared'
import { useTestApp, CSRF } from './helpers/app'
import { storeWithAdmin, type StoreFixture } from './helpers/integrator'
import { startReceiver, type Receiver } from './helpers/receiver'

// No delivery worker here: the test runs the worker's task itself, twice at once.
const t = useTestApp({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_ALLOW_HTTP: 'true' })
let store: StoreFixture
let integrator: string
let product: Product
let receiver: Receiver

beforeAll(async () => {
  store = await storeWithAdmin(t)
  integrator = (await store.createKey()).auth
  product = (await t.app.inject({ method: 'POST', url: '/v1/products', headers: { authorization: integrator }, payload: { name: 'Mug', price: 1250 } })).json<Product>()
  // Answers slowly, so that both runs are in flight at the same time.
  receiver = await startReceiver((_req, _n, res) => setTimeout(() => res.end('ok'), 150))
})
afterAll(() => receiver.close())

describe('claiming an attempt', () => {
  it('two runs of the same delivery at once send it once', async () => {
    const hook = (await t.app.inject({ method: 'POST', url: `/stores/${store.storeKey}/webhooks`, headers: { cookie: store.cookie, ...CSRF }, payload: { url: receiver.url, event: 'order.created' } })).json<CreatedWebhook>()
    const order = await t.app.inject({ method: 'POST', url: '/v1/orders', headers: { authorization: integrator }, payload: { lineItems: [{ productId: product.id, quantity: 1 }] } })
    expect(order.statusCode).toBe(201)
    const list = (await t.app.inject({ method: 'GET', url: `/stores/${store.storeKey}/webhooks/${hook.id}/deliveries`, headers: { cookie: store.cookie, ...CSRF } })).json<DeliveryList>()
    const [delivery] = list.data
    expect(delivery).toMatchObject({ status: 'pending', attemptCount: 0 })

    await Promise.all([t.app.services.deliverer.deliver(delivery!.id), t.app.services.deliverer.deliver(delivery!.id)])

    expect(receiver.received).toHaveLength(1)
    const after = (await t.app.inject({ method: 'GET', url: `/stores/${store.storeKey}/webhooks/${hook.id}/deliveries`, headers: { cookie: store.cookie, ...CSRF } })).json<DeliveryList>()
    expect(after.data[0]).toMatchObject({ status: 'succeeded', attemptCount: 1 })
    expect(after.data[0]!.attempts).toHaveLength(1)
  })
})
