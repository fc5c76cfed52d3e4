import { afterAll, describe, expect, it } from 'vitest'
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded'
import { useDataDirs } from '../helpers/embedded'
import { freePort, useServerProcesses } from '../helpers/process'
import { ADMIN_ENV, asIntegrator, signIn } from '../helpers/remote'

/**
 * PostgreSQL stops under load and comes back: the server keeps running, reports
 * not-ready meanwhile, answers 503 (never 500) while the database is away, recovers
 * by itself, and every write it acknowledged is there afterwards.
 */
const newDataDir = useDataDirs()
let database: EmbeddedDatabase | undefined
// Registered before the server, so that they run after it has stopped.
afterAll(async () => {
  await database?.stop().catch(() => {})
})
const servers = useServerProcesses()

describe('PostgreSQL restarted under load', () => {
  it('recovers without a restart and loses no acknowledged write', async () => {
    const dir = await newDataDir('deskflow-pg-restart-')
    const pgPort = await freePort()
    database = await startEmbeddedPostgres(dir, { port: pgPort })
    const server = await servers.serve({ DATABASE_URL: database.url, SECRET_KEY: 'p'.repeat(48), ...ADMIN_ENV, LOG_LEVEL: 'warn' })
    const base = server.base
    const admin = await signIn(base)
    const key = await admin.createKey({
      description: 'chaos',
      permissions: ['read_products', 'write_orders', 'read_orders'],
      rateLimitPerMinute: 100_000,
    })
    const integrator = asIntegrator(base, key)
    const product = (await integrator.products()).find((p) => p.stock === null)!

    const acknowledged: string[] = []
    const statuses = new Map<number, number>()
    let running = true
    const load = (async () => {
      while (running) {
        const res = await integrator.order(product.id).catch(() => null)
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
    const errors = server
      .output()
      .split('\n')
      .filter((line) => line.includes('unhandled error'))
      .slice(-3)
      .join('\n')
    expect(
      [...statuses.keys()].filter((code) => code >= 500 && code !== 503),
      errors,
    ).toEqual([])
    expect(statuses.get(503) ?? 0).toBeGreaterThan(0)
    // Every acknowledged order is there.
    for (const id of acknowledged) {
      const res = await integrator.request('GET', `/v1/orders/${id}`)
      expect(res.status, id).toBe(200)
    }
    console.info(
      `postgres restart: ${acknowledged.length} orders acknowledged and all found; answers ${JSON.stringify(Object.fromEntries(statuses))}`,
    )
  })
})
