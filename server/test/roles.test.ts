import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreatedApiKey, LoginResponse, Product } from '@deskflow/shared'
import { randomBase62 } from '../src/lib/ids'
import { createTestDatabase, type TestDatabase } from './helpers/db'
import { basic } from './helpers/integrator'
import { freePort, startServerProcess, type ServerProcess } from './helpers/process'
import { startReceiver, type Receiver } from './helpers/receiver'

/** ROLE=api answers requests but delivers nothing; ROLE=worker delivers and serves only health. */
let database: TestDatabase
let receiver: Receiver
const processes: ServerProcess[] = []
let api = ''
let workerPort = 0
let env: Record<string, string>

beforeAll(async () => {
  database = await createTestDatabase()
  receiver = await startReceiver()
  env = {
    DATABASE_URL: database.url,
    SECRET_KEY: randomBase62(48),
    ADMIN_EMAIL: 'roles@example.com',
    ADMIN_PASSWORD: 'roles test password',
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_ALLOW_HTTP: 'true',
  }
  const apiPort = await freePort()
  const apiProcess = startServerProcess({ ...env, ROLE: 'api', PORT: String(apiPort) })
  processes.push(apiProcess)
  await apiProcess.ready
  api = `http://127.0.0.1:${apiPort}`
  workerPort = await freePort()
}, 60_000)

afterAll(async () => {
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGTERM')
  await Promise.all(processes.map((p) => p.exited))
  await receiver.close()
  await database.drop()
})

describe('process roles', () => {
  it('an API-only process queues deliveries that a worker-only process sends', async () => {
    const json = { 'content-type': 'application/json' }
    const { token } = (await (await fetch(`${api}/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'roles@example.com', password: 'roles test password' }) })).json()) as LoginResponse
    const admin = { ...json, authorization: `Bearer ${token}` }
    await fetch(`${api}/stores/demo/webhooks`, { method: 'POST', headers: admin, body: JSON.stringify({ url: receiver.url, event: 'order.created' }) })
    const key = (await (await fetch(`${api}/stores/demo/api-keys`, { method: 'POST', headers: admin, body: JSON.stringify({ description: 'roles', permissions: ['read_products', 'write_orders'] }) })).json()) as CreatedApiKey
    const integrator = { ...json, authorization: basic(key.key, key.secret) }
    const product = ((await (await fetch(`${api}/v1/products?limit=1`, { headers: integrator })).json()) as { data: Product[] }).data[0]!
    const order = await fetch(`${api}/v1/orders`, { method: 'POST', headers: integrator, body: JSON.stringify({ lineItems: [{ productId: product.id, quantity: 1 }] }) })
    expect(order.status).toBe(201)

    await new Promise((r) => setTimeout(r, 500))
    expect(receiver.received).toHaveLength(0)

    const worker = startServerProcess({ ...env, ROLE: 'worker', PORT: String(workerPort) })
    processes.push(worker)
    await worker.ready
    expect(worker.output()).toContain('Deskflow delivery worker is running')
    await expect(receiver.waitFor(1)).resolves.toHaveLength(1)
    const health = await fetch(`http://127.0.0.1:${workerPort}/health/ready`)
    expect(health.status).toBe(200)
    expect((await fetch(`http://127.0.0.1:${workerPort}/stores`)).status).toBe(404)
  })
})
