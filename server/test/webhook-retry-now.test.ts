import { beforeAll, describe, expect, it } from 'vitest'
import type { Delivery, ErrorResponse, Product } from '@deskflow/shared'
import { useHarness, until } from './helpers/harness'

/**
 * "Retry now": a delivery waiting for its next attempt is sent at once once its endpoint is
 * fixed, instead of at its scheduled time (here, five minutes away), under its webhook-id.
 */
const h = useHarness(
  { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_RETRY_SCALE: '1', WEBHOOK_TIMEOUT_MS: '2000' },
  { deliveryWorker: true },
)

let product: Product
beforeAll(async () => {
  product = await h.createProduct({ name: 'Retry mug', price: 500 })
})

const retry = (webhookId: string, deliveryId: string) => h.admin('POST', `/webhooks/${webhookId}/deliveries/${deliveryId}/retry`)

describe('Retry now', () => {
  it('sends a delivery waiting for its next attempt at once, under the same webhook-id, and logs who asked', async () => {
    let failing = true
    const r = await h.receiver((_req, _n, res) => {
      res.statusCode = failing ? 500 : 200
      res.end(failing ? 'broken' : 'ok')
    })
    const hook = await h.addWebhook(r.url)
    await h.createOrder(product.id)
    // Two failures (at once, then 5 s later), the second one recorded (not still in flight):
    // the next attempt is 5 minutes away.
    const [waiting] = await until(
      () => h.deliveries(hook.id),
      (list) => list[0]?.attempts.length === 2 && new Date(list[0].nextAttemptAt ?? 0).getTime() - Date.now() > 200_000,
      20_000,
    )
    expect(waiting).toMatchObject({ status: 'pending' })
    expect(new Date(waiting!.nextAttemptAt!).getTime() - Date.now()).toBeGreaterThan(200_000)

    failing = false
    const asked = Date.now()
    const res = await retry(hook.id, waiting!.id)
    expect(res.statusCode, res.body).toBe(202)
    const [done] = await until(
      () => h.deliveries(hook.id),
      (list) => list[0]?.status === 'succeeded',
      10_000,
    )
    expect(Date.now() - asked).toBeLessThan(10_000)
    expect(done).toMatchObject({ id: waiting!.id, attemptCount: 3 })
    expect(r.received).toHaveLength(3)
    expect(new Set(r.received.map((q) => q.headers['webhook-id'])).size).toBe(1)

    const audit = (await h.admin('GET', '/audit-log')).json<{ data: { action: string; metadata: unknown }[] }>().data
    expect(audit.find((e) => e.action === 'webhook.retried')).toMatchObject({ metadata: { deliveryId: waiting!.id } })
  }, 40_000)

  it('refuses what is not waiting for a retry (succeeded, a test, unknown) with 409 or 404, and changes nothing', async () => {
    const r = await h.receiver()
    const hook = await h.addWebhook(r.url)
    await h.createOrder(product.id)
    const [delivered] = await until(
      () => h.deliveries(hook.id),
      (list) => list[0]?.status === 'succeeded',
      10_000,
    )
    const refused = await retry(hook.id, delivered!.id)
    expect(refused.statusCode).toBe(409)
    expect(refused.json<ErrorResponse>().error.message).toContain('redeliver')
    await h.admin('POST', `/webhooks/${hook.id}/test`)
    const test = (await h.deliveries(hook.id)).find((d: Delivery) => d.test)!
    expect((await retry(hook.id, test.id)).statusCode).toBe(409)
    expect((await retry(hook.id, 'whd_doesnotexist')).statusCode).toBe(404)
    expect(r.received).toHaveLength(2)
    expect((await h.deliveries(hook.id)).find((d) => d.id === delivered!.id)).toMatchObject({ status: 'succeeded', attemptCount: 1 })
  })
})
