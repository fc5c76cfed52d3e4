import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreatedApiKey, CreatedWebhook, LoginResponse, Product } from '@deskflow/shared'
import { randomBase62 } from '../../src/lib/ids'
import { createTestDatabase, type TestDatabase } from '../helpers/db'
import { basic } from '../helpers/integrator'
import { freePort, startServerProcess, type ServerProcess } from '../helpers/process'
import { startReceiver, type Receiver } from '../helpers/receiver'

/**
 * Two minutes of steady mixed load (integrator reads and orders, admin pages,
 * webhook deliveries): no unintended error, every webhook arrives, and the
 * server's memory after warm-up stays within 10 %.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 120)
const RATE = 40
let database: TestDatabase
let receiver: Receiver
let server: ServerProcess

beforeAll(async () => {
  database = await createTestDatabase()
  receiver = await startReceiver()
})

afterAll(async () => {
  server?.child.kill('SIGTERM')
  await server?.exited
  await receiver.close()
  await database.drop()
})

async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1])
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

describe('soak', () => {
  it(`${SECONDS} s of mixed load at ${RATE} requests/s: no errors, nothing lost, memory stable`, async () => {
    const port = await freePort()
    server = startServerProcess({
      DATABASE_URL: database.url,
      SECRET_KEY: randomBase62(48),
      ADMIN_EMAIL: 'soak@example.com',
      ADMIN_PASSWORD: 'soak test password',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_ALLOW_HTTP: 'true',
      USAGE_FLUSH_SECONDS: '2',
    })
    await server.ready
    const base = `http://127.0.0.1:${port}`
    const json = { 'content-type': 'application/json' }
    const { token } = (await (await fetch(`${base}/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'soak@example.com', password: 'soak test password' }) })).json()) as LoginResponse
    const admin = { ...json, authorization: `Bearer ${token}` }
    const hook = (await (await fetch(`${base}/stores/demo/webhooks`, { method: 'POST', headers: admin, body: JSON.stringify({ url: receiver.url, event: 'order.created' }) })).json()) as CreatedWebhook
    expect(hook.id).toMatch(/^wh_/)
    const key = (await (
      await fetch(`${base}/stores/demo/api-keys`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ description: 'soak', permissions: ['read_products', 'write_orders', 'read_orders'], rateLimitPerMinute: 100_000 }),
      })
    ).json()) as CreatedApiKey
    const integrator = { ...json, authorization: basic(key.key, key.secret) }
    const product = ((await (await fetch(`${base}/v1/products?limit=100`, { headers: integrator })).json()) as { data: Product[] }).data.find((p) => p.stock === null)!

    const requests: Array<() => Promise<Response>> = [
      () => fetch(`${base}/v1/products?limit=20`, { headers: integrator }),
      () => fetch(`${base}/v1/orders?limit=20`, { headers: integrator }),
      () => fetch(`${base}/v1/orders`, { method: 'POST', headers: integrator, body: JSON.stringify({ lineItems: [{ productId: product.id, quantity: 1 }] }) }),
      () => fetch(`${base}/stores/demo/api-keys`, { headers: admin }),
      () => fetch(`${base}/stores/demo/webhooks/${hook.id}/deliveries?limit=20`, { headers: admin }),
      () => fetch(`${base}/stores/demo/usage?period=24h`, { headers: admin }),
    ]
    const unexpected: string[] = []
    const orders: string[] = []
    const samples: Array<{ t: number; kb: number }> = []
    const started = Date.now()
    const inflight: Array<Promise<void>> = []
    let sent = 0
    while (Date.now() - started < SECONDS * 1000) {
      const due = Math.floor(((Date.now() - started) / 1000) * RATE)
      while (sent < due) {
        const kind = sent % requests.length
        sent++
        inflight.push(
          requests[kind]!().then(async (res) => {
            const body = await res.text()
            if (res.status >= 400) unexpected.push(`${res.status} ${body.slice(0, 200)}`)
            else if (kind === 2) orders.push((JSON.parse(body) as { id: string }).id)
          }, (err: Error) => void unexpected.push(err.message)),
        )
      }
      if (samples.length === 0 || Date.now() - samples.at(-1)!.t >= 5000) samples.push({ t: Date.now(), kb: await rssKb(server.child.pid!) })
      await new Promise((r) => setTimeout(r, 25))
    }
    await Promise.all(inflight)
    samples.push({ t: Date.now(), kb: await rssKb(server.child.pid!) })

    expect(unexpected).toEqual([])
    await receiver.waitFor(orders.length, 30_000)
    const delivered = new Set(receiver.received.map((r) => (JSON.parse(r.body) as { data: { id: string } }).data.id))
    expect(orders.every((id) => delivered.has(id))).toBe(true)

    // After the first quarter (warm-up), memory may wobble but must not grow by more than 10 %.
    const warm = samples.filter((s) => s.t - started >= (SECONDS * 1000) / 4)
    const early = median(warm.slice(0, 3).map((s) => s.kb))
    const late = median(warm.slice(-3).map((s) => s.kb))
    const drift = (late - early) / early
    console.info(`soak: ${sent} requests in ${SECONDS} s, ${orders.length} orders delivered, RSS ${Math.round(early / 1024)} → ${Math.round(late / 1024)} MB (${(drift * 100).toFixed(1)} %)`)
    expect(drift).toBeLessThanOrEqual(0.1)
  })
})
