import { readFile } from 'node:fs/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '../helpers/db'
import { useServerProcesses } from '../helpers/process'
import { useReceivers, type Receiver } from '../helpers/receiver'
import { asIntegrator, serverEnv, signIn } from '../helpers/remote'

/**
 * Two minutes of steady mixed load (integrator reads and orders, admin pages,
 * webhook deliveries): no unintended error, every webhook arrives, and the
 * server's memory after warm-up stays within 10 %.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 120)
const RATE = 40
const database = useTestDatabase()
const receivers = useReceivers()
const servers = useServerProcesses()
let receiver: Receiver

beforeAll(async () => {
  receiver = await receivers()
})

async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1])
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

describe('soak', () => {
  it(`${SECONDS} s of mixed load at ${RATE} requests/s: no errors, nothing lost, memory stable`, async () => {
    const server = await servers.serve({
      ...serverEnv(database.url),
      LOG_LEVEL: 'warn',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_ALLOW_HTTP: 'true',
      USAGE_FLUSH_SECONDS: '2',
    })
    const admin = await signIn(server.base)
    const hook = await admin.addWebhook(receiver.url)
    expect(hook.id).toMatch(/^wh_/)
    const key = await admin.createKey({
      description: 'soak',
      permissions: ['read_products', 'write_orders', 'read_orders'],
      rateLimitPerMinute: 100_000,
    })
    const integrator = asIntegrator(server.base, key)
    const product = (await integrator.products()).find((p) => p.stock === null)!

    const requests: Array<() => Promise<Response>> = [
      () => integrator.request('GET', '/v1/products?limit=20'),
      () => integrator.request('GET', '/v1/orders?limit=20'),
      () => integrator.order(product.id),
      () => admin.request('GET', '/stores/demo/api-keys'),
      () => admin.request('GET', `/stores/demo/webhooks/${hook.id}/deliveries?limit=20`),
      () => admin.request('GET', '/stores/demo/usage?period=24h'),
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
          requests[kind]!().then(
            async (res) => {
              const body = await res.text()
              if (res.status >= 400) unexpected.push(`${res.status} ${body.slice(0, 200)}`)
              else if (kind === 2) orders.push((JSON.parse(body) as { id: string }).id)
            },
            (err: Error) => void unexpected.push(err.message),
          ),
        )
      }
      if (samples.length === 0 || Date.now() - samples.at(-1)!.t >= 5000)
        samples.push({ t: Date.now(), kb: await rssKb(server.child.pid!) })
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
    console.info(
      `soak: ${sent} requests in ${SECONDS} s, ${orders.length} orders delivered, RSS ${Math.round(early / 1024)} → ${Math.round(late / 1024)} MB (${(drift * 100).toFixed(1)} %)`,
    )
    expect(drift).toBeLessThanOrEqual(0.1)
  })
})
