import { spawn, type ChildProcess } from 'node:child_process'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreatedApiKey, ErrorResponse } from '@deskflow/shared'
import { buildApp, type App } from '../src/app'
import { loadConfig } from '../src/config'
import { createLogger } from '../src/lib/logger'
import { randomBase62 } from '../src/lib/ids'
import { createSecretBox } from '../src/lib/secret-box'
import { hashPassword } from '../src/features/auth/passwords'
import { createAdminsRepo } from '../src/features/auth/repo'
import { createStoresRepo } from '../src/features/stores/repo'
import { newId } from '../src/lib/ids'
import { CSRF, TEST_PASSWORD, useTestApp } from './helpers/app'
import { createTestDatabase, type TestDatabase } from './helpers/db'
import { basic, storeWithAdmin, type StoreFixture } from './helpers/integrator'
import { freePort } from './helpers/process'

/** Limits that strangers cannot turn against admins or integrations, and that stay on when Redis fails. */
const PER_ADDRESS = 5
const PER_KEY = 8
const t = useTestApp({ API_AUTH_FAILURE_LIMIT_PER_ADDRESS: String(PER_ADDRESS), API_AUTH_FAILURE_LIMIT_PER_KEY: String(PER_KEY) })
let store: StoreFixture

beforeAll(async () => {
  store = await storeWithAdmin(t)
})

describe('revealing secrets', () => {
  it('is limited per signed-in admin: strangers, signed in or not, cannot use up the owner’s reveals', async () => {
    const key = await store.createKey(['read_products'])
    const url = `/stores/${store.storeKey}/api-keys/${key.id}/reveal`
    // Strangers from the same address: not signed in at all.
    for (let i = 0; i < 15; i++) {
      expect((await t.app.inject({ method: 'POST', url, headers: CSRF, payload: { password: 'guess' } })).statusCode).toBe(401)
    }
    // Another admin at the same address, who uses up their own reveals.
    const other = await storeWithAdmin(t)
    const theirs = await other.createKey(['read_products'])
    const statuses = []
    for (let i = 0; i < 11; i++) {
      statuses.push((await t.app.inject({ method: 'POST', url: `/stores/${other.storeKey}/api-keys/${theirs.id}/reveal`, headers: { cookie: other.cookie, ...CSRF }, payload: { password: 'wrong' } })).statusCode)
    }
    expect(statuses.at(-1)).toBe(429)
    const owner = await t.app.inject({ method: 'POST', url, headers: { cookie: store.cookie, ...CSRF }, payload: { password: TEST_PASSWORD } })
    expect(owner.statusCode, owner.body).toBe(200)
  })
})

describe('failed integrator authentication', () => {
  const call = (authorization: string, remoteAddress: string) => t.app.inject({ url: '/v1/products?limit=1', headers: { authorization }, remoteAddress })

  it(`is limited per address: after ${PER_ADDRESS} failures that address gets 429 with Retry-After, other addresses are unaffected`, async () => {
    const key = await store.createKey(['read_products'])
    const wrong = basic(key.key, `${key.secret.slice(0, -4)}XXXX`)
    for (let i = 0; i < PER_ADDRESS; i++) expect((await call(wrong, '198.51.100.1')).statusCode).toBe(401)
    const refused = await call(wrong, '198.51.100.1')
    expect(refused.statusCode).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(refused.json<ErrorResponse>().error.code).toBe('rate_limited')
    // Unknown keys count too: guessing key ids is guessing.
    expect((await call(basic(`dfk_${'a'.repeat(30)}`, 'dfs_x'), '198.51.100.1')).statusCode).toBe(429)
    expect((await call(key.auth, '198.51.100.2')).statusCode).toBe(200)
  })

  it(`is limited per key without locking its owner out: after ${PER_KEY} failures from many addresses, wrong secrets get 429 and the right one still works`, async () => {
    const key = await store.createKey(['read_products'])
    const wrong = basic(key.key, `${key.secret.slice(0, -4)}XXXX`)
    for (let i = 0; i < PER_KEY; i++) expect((await call(wrong, `203.0.113.${i + 1}`)).statusCode).toBe(401)
    const guess = await call(wrong, '203.0.113.200')
    expect(guess.statusCode).toBe(429)
    expect(Number(guess.headers['retry-after'])).toBeGreaterThan(0)
    expect((await call(key.auth, '203.0.113.201')).statusCode).toBe(200)
    expect((await call(key.auth, '127.0.0.1')).statusCode).toBe(200)
    expect(t.logs.join('')).toContain('failed authentications reached the limit')
  })

  it('successful calls are not counted as failures', async () => {
    const key = await store.createKey(['read_products'])
    for (let i = 0; i < PER_ADDRESS * 3; i++) expect((await call(key.auth, '192.0.2.77')).statusCode).toBe(200)
  })
})

describe('when Redis fails', () => {
  let database: TestDatabase
  let app: App
  let redis: ChildProcess
  const logs: string[] = []
  let email = ''

  async function startRedis(port: number) {
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
    for (let i = 0; i < 50; i++) {
      const probe = await import('node:net').then(
        (net) =>
          new Promise<boolean>((resolve) => {
            const s = net.connect(port, '127.0.0.1', () => {
              s.end()
              resolve(true)
            })
            s.on('error', () => resolve(false))
          }),
      )
      if (probe) return child
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error('redis-server did not start (is it installed?)')
  }

  beforeAll(async () => {
    const port = await freePort()
    redis = await startRedis(port)
    database = await createTestDatabase()
    const sink = new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk))
        done()
      },
    })
    const config = loadConfig({ DATABASE_URL: database.url, SECRET_KEY: randomBase62(48), REDIS_URL: `redis://127.0.0.1:${port}`, LOGIN_RATE_LIMIT: '3', LOG_LEVEL: 'info' })
    app = await buildApp({ config, database, box: createSecretBox(config.SECRET_KEY!), logger: createLogger('info', sink) })
    await app.ready()
    email = `redis-${randomBase62(6).toLowerCase()}@example.com`
    const admin = await createAdminsRepo(database.db).insert({ id: newId('adm'), email, passwordHash: await hashPassword(TEST_PASSWORD) })
    const stores = createStoresRepo(database.db)
    const made = await stores.insert({ id: newId('sto'), key: 'redisdown', name: 'Redis down' })
    await stores.addMember(made.id, admin.id, 'owner')
  })
  afterAll(async () => {
    redis?.kill('SIGKILL')
    await app?.close()
    await database?.drop()
  })

  const login = (password: string, remoteAddress = '192.0.2.10') => app.inject({ method: 'POST', url: '/auth/login', payload: { email, password }, remoteAddress })

  it('every limit keeps counting, in memory, and the switch is logged', async () => {
    // Counted in Redis while it runs.
    expect((await login('wrong 1')).statusCode).toBe(401)
    redis.kill('SIGKILL')
    await new Promise((r) => redis.once('exit', r))
    // The sign-in limit (3 a minute) still holds once Redis is gone.
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await login(`wrong ${i + 2}`)).statusCode)
    expect(statuses).toEqual([401, 401, 401, 429])
    expect(logs.join('')).toContain('Redis is unavailable: rate limits now count in this process only')
    // The per-key request limit too.
    const token = (await login(TEST_PASSWORD, '192.0.2.11')).json<{ token: string }>().token
    const created = await app.inject({
      method: 'POST',
      url: '/stores/redisdown/api-keys',
      headers: { authorization: `Bearer ${token}` },
      payload: { description: 'limited', permissions: ['read_products'], rateLimitPerMinute: 2 },
    })
    const key = created.json<CreatedApiKey>()
    const calls = []
    for (let i = 0; i < 3; i++) calls.push((await app.inject({ url: '/v1/products', headers: { authorization: basic(key.key, key.secret) } })).statusCode)
    expect(calls).toEqual([200, 200, 429])
  })
})
