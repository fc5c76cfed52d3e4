import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { CreatedApiKey, LoginResponse, Product } from '@deskflow/shared'
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded'
import { freePort, startServerProcess, type ServerProcess } from '../helpers/process'
import { basic } from '../helpers/integrator'

/**
 * PostgreSQL stops under load and comes back: the server keeps running, reports
 * not-ready meanwhile, answers 503 (never 500) while the database is away, recovers
 * by itself, and every write it acknowledged is there afterwards.
 */
let dir = ''
let database: EmbeddedDatabase | undefined
let server: ServerProcess | undefined

afterAll(async () => {
  server?.child.kill('SIGTERM')
  await server?.exited
  await database?.stop().catch(() => {})
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('PostgreSQL restarted under load', () => {
  it('recovers without a restart and loses no acknowledged write', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'deskflow-pg-restart-'))
    await chmod(dir, 0o755)
    const pgPort = await freePort()
    database = await startEmbeddedPostgres(dir, { port: pgPort })
    const port = await freePort()
    server = startServerProcess({
      DATABASE_URL: database.url,
      SECRET_KEY: 'p'.repeat(48),
      ADMIN_EMAIL: 'chaos@example.com',
      ADMIN_PASSWORD: 'chaos test password',
      PORT: String(port),
      LOG_LEVEL: 'warn',
    })
    await server.ready
    const base = `http://127.0.0.1:${port}`
    const json = { 'content-type': 'application/json' }
    const { token } = (await (await fetch(`${base}/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'chaos@example.com', password: 'chaos test password' }) })).json()) as LoginResponse
    const key = (await (
      await fetch(`${base}/stores/demo/api-keys`, {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${token}` },
        body: JSON.stringify({ description: 'chaos', permissions: ['read_products', 'write_orders', 'read_orders'], rateLimitPerMinute: 100_000 }),
      })
    ).json()) as CreatedApiKey
    const integrator = { ...json, authorization: basic(key.key, key.secret) }
    const product = ((await (await fetch(`${base}/v1/products?limit=100`, { headers: integrator })).json()) as { data: Product[] }).data.find((p) => p.stock === null)!

    const acknowledged: string[] = []
    const statuses = new Map<number, number>()
    let running = true
    const load = (async () => {
      while (running) {
        const res = await fetch(`${base}/v1/orders`, { method: 'POST', headers: integrator, body: JSON.stringify({ lineItems: [{ productId: product.id, quantity: 1 }] }) }).catch(() => null)
        if (!res) continue
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
        if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id)
        else await res.arrayBuffer()
      }
    })()

    await new Promise((r) => setTimeout(r, 1500))
    const beforeStop = acknowledged.length
    await database.stop()
    // While the database is away: not ready, and no 500s.
    await expect.poll(async () => (await fetch(`${base}/health/ready`)).status, { timeout: 10_000 }).toBe(503)
    await new Promise((r) => setTimeout(r, 1500))
    database = await startEmbeddedPostgres(dir, { port: pgPort })
    await expect.poll(async () => (await fetch(`${base}/health/ready`)).status, { timeout: 20_000, interval: 200 }).toBe(200)
    const atRecovery = acknowledged.length
    await expect.poll(() => acknowledged.length, { timeout: 10_000 }).toBeGreaterThan(atRecovery + 10)
    running = false
    await load

    expect(server.child.exitCode).toBeNull()
    expect(beforeStop).toBeGreaterThan(0)
    // While the database was away: 503, never any other 5xx.
    const errors = server.output().split('\n').filter((line) => line.includes('unhandled error')).slice(-3).join('\n')
    expect([...statuses.keys()].filter((code) => code >= 500 && code !== 503), errors).toEqual([])
    expect(statuses.get(503) ?? 0).toBeGreaterThan(0)
    // Every acknowledged order is there.
    for (const id of acknowledged) {
      const res = await fetch(`${base}/v1/orders/${id}`, { headers: integrator })
      expect(res.status, id).toBe(200)
    }
    console.info(`postgres restart: ${acknowledged.length} orders acknowledged and all found; answers ${JSON.stringify(Object.fromEntries(statuses))}`)
  })
})
