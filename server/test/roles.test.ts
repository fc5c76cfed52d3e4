import { beforeAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './helpers/db'
import { freePort, useServerProcesses } from './helpers/process'
import { useReceivers, type Receiver } from './helpers/receiver'
import { asIntegrator, serverEnv, signIn } from './helpers/remote'

/** ROLE=api answers requests but delivers nothing; ROLE=worker delivers and serves only health. */
const database = useTestDatabase()
const receivers = useReceivers()
const servers = useServerProcesses()
let receiver: Receiver
let api = ''
let workerPort = 0
let env: Record<string, string>

beforeAll(async () => {
  receiver = await receivers()
  env = { ...serverEnv(database.url), WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_ALLOW_HTTP: 'true' }
  api = (await servers.serve({ ...env, ROLE: 'api' })).base
  workerPort = await freePort()
}, 60_000)

describe('process roles', () => {
  it('an API-only process queues deliveries that a worker-only process sends', async () => {
    const admin = await signIn(api)
    await admin.addWebhook(receiver.url)
    const key = await admin.createKey({ description: 'roles', permissions: ['read_products', 'write_orders'] })
    const integrator = asIntegrator(api, key)
    const [product] = await integrator.products()
    const order = await integrator.order(product!.id)
    expect(order.status).toBe(201)

    await new Promise((r) => setTimeout(r, 500))
    expect(receiver.received).toHaveLength(0)

    const worker = servers.start({ ...env, ROLE: 'worker', PORT: String(workerPort) })
    await worker.ready
    expect(worker.output()).toContain('Deskflow delivery worker is running')
    // Started with both development settings on: each is a warning at start.
    expect(worker.output()).toMatch(/"level":40.*WEBHOOK_ALLOW_PRIVATE_URLS is on/)
    expect(worker.output()).toMatch(/"level":40.*WEBHOOK_ALLOW_HTTP is on/)
    await expect(receiver.waitFor(1)).resolves.toHaveLength(1)
    const health = await fetch(`http://127.0.0.1:${workerPort}/health/ready`)
    expect(health.status).toBe(200)
    expect((await fetch(`http://127.0.0.1:${workerPort}/stores`)).status).toBe(404)
  })
})
