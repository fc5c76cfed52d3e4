import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CSRF_HEADER, type CreatedApiKey, type LoginResponse, type UsageReport } from '@deskflow/shared'
import { randomBase62 } from '../src/lib/ids'
import { createTestDatabase, type TestDatabase } from './helpers/db'
import { freePort, startServerProcess, type ServerProcess } from './helpers/process'
import { basic } from './helpers/integrator'

/**
 * Two real server processes on one database, as behind a load balancer: a key
 * revoked through one instance is refused by the other on the very next request.
 */
let database: TestDatabase
const servers: ServerProcess[] = []
let a = ''
let b = ''
let cookie = ''

beforeAll(async () => {
  database = await createTestDatabase()
  const env = {
    DATABASE_URL: database.url,
    SECRET_KEY: randomBase62(48),
    ADMIN_EMAIL: 'ops@example.com',
    ADMIN_PASSWORD: 'two instances, one database',
    // Usage counts reach the database only at shutdown in this test.
    USAGE_FLUSH_SECONDS: '3600',
  }
  const ports = [await freePort(), await freePort()]
  // The first instance creates the admin; the second starts on the same data.
  for (const port of ports) {
    const server = startServerProcess({ ...env, PORT: String(port) })
    servers.push(server)
    await server.ready
  }
  ;[a, b] = ports.map((p) => `http://127.0.0.1:${p}`) as [string, string]
  const login = await fetch(`${a}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }),
  })
  cookie = `df_session=${(await login.json() as LoginResponse).token}`
}, 90_000)

afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGTERM')
  await Promise.all(servers.map((s) => s.exited))
  await database.drop()
})

async function admin(method: string, path: string, body?: object) {
  return fetch(`${a}${path}`, {
    method,
    headers: { cookie, [CSRF_HEADER]: '1', ...(body && { 'content-type': 'application/json' }) },
    ...(body && { body: JSON.stringify(body) }),
  })
}

async function newKey() {
  const res = await admin('POST', '/stores/demo/api-keys', { description: 'two instances', permissions: ['read_products'] })
  expect(res.status).toBe(201)
  return (await res.json()) as CreatedApiKey
}

const onB = (key: string, secret: string) => fetch(`${b}/v1/products`, { headers: { authorization: basic(key, secret) } })

describe('revocation across instances', () => {
  it('delete on A: the next request on B is refused', async () => {
    const k = await newKey()
    expect((await onB(k.key, k.secret)).status).toBe(200)
    expect((await admin('DELETE', `/stores/demo/api-keys/${k.id}`)).status).toBe(204)
    expect((await onB(k.key, k.secret)).status).toBe(401)
  })

  it('deactivate on A: the next request on B is refused; reactivate: accepted again', async () => {
    const k = await newKey()
    expect((await onB(k.key, k.secret)).status).toBe(200)
    await admin('PATCH', `/stores/demo/api-keys/${k.id}`, { activated: false })
    expect((await onB(k.key, k.secret)).status).toBe(401)
    await admin('PATCH', `/stores/demo/api-keys/${k.id}`, { activated: true })
    expect((await onB(k.key, k.secret)).status).toBe(200)
  })

  it('regenerate on A: B refuses the old secret at once and accepts the new one', async () => {
    const k = await newKey()
    expect((await onB(k.key, k.secret)).status).toBe(200)
    const res = await admin('POST', `/stores/demo/api-keys/${k.id}/regenerate-secret`, { gracePeriod: 'none' })
    const { secret } = (await res.json()) as { secret: string }
    expect((await onB(k.key, k.secret)).status).toBe(401)
    expect((await onB(k.key, secret)).status).toBe(200)
  })

  it('the demo store was seeded, so the first call returns products', async () => {
    const k = await newKey()
    const body = (await (await onB(k.key, k.secret)).json()) as { data: unknown[] }
    expect(body.data.length).toBeGreaterThanOrEqual(5)
  })
})

describe('usage counts at shutdown', () => {
  it('are written when an instance stops, not lost', async () => {
    const k = await newKey()
    for (let i = 0; i < 3; i++) expect((await onB(k.key, k.secret)).status).toBe(200)
    const usage = async () =>
      ((await (await admin('GET', `/stores/demo/usage?apiKeyId=${k.id}`)).json()) as UsageReport).keys[0]!.totals.success
    expect(await usage()).toBe(0)
    servers[1]!.child.kill('SIGTERM')
    expect(await servers[1]!.exited).toBe(0)
    expect(await usage()).toBe(3)
  })
})
