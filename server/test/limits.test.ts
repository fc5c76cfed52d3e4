import { spawn, type ChildProcess } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CreatedApiKey, ErrorResponse } from '@deskflow/shared'
import { CSRF, TEST_PASSWORD, useHarness } from './helpers/harness'
import { basic } from './helpers/integrator'
import { freePort, waitForPort } from './helpers/process'

/** Limits that strangers cannot turn against admins or integrations, and that stay on when Redis fails. */
const PER_ADDRESS = 5
const PER_KEY = 8
const h = useHarness({ API_AUTH_FAILURE_LIMIT_PER_ADDRESS: String(PER_ADDRESS), API_AUTH_FAILURE_LIMIT_PER_KEY: String(PER_KEY) })

describe('revealing secrets', () => {
  it('is limited per signed-in admin: strangers, signed in or not, cannot use up the owner’s reveals', async () => {
    const key = await h.createKey(['read_products'])
    const url = `/stores/${h.storeKey}/api-keys/${key.id}/reveal`
    // Strangers from the same address: not signed in at all.
    for (let i = 0; i < 15; i++) {
      expect((await h.anonymous('POST', url, { password: 'guess' }, { headers: CSRF })).statusCode).toBe(401)
    }
    // Another admin at the same address, who uses up their own reveals.
    const other = await h.newStore()
    const theirs = await other.createKey(['read_products'])
    const statuses = []
    for (let i = 0; i < 11; i++) {
      statuses.push((await other.admin('POST', `/api-keys/${theirs.id}/reveal`, { password: 'wrong' })).statusCode)
    }
    expect(statuses.at(-1)).toBe(429)
    const owner = await h.signedIn('POST', url, { password: TEST_PASSWORD })
    expect(owner.statusCode, owner.body).toBe(200)
  })
})

describe('failed integrator authentication', () => {
  const call = (auth: string, remoteAddress: string) => h.v1('GET', '/v1/products?limit=1', undefined, { auth, remoteAddress })

  it(`is limited per address: after ${PER_ADDRESS} failures that address gets 429 with Retry-After, other addresses are unaffected`, async () => {
    const key = await h.createKey(['read_products'])
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
    const key = await h.createKey(['read_products'])
    const wrong = basic(key.key, `${key.secret.slice(0, -4)}XXXX`)
    for (let i = 0; i < PER_KEY; i++) expect((await call(wrong, `203.0.113.${i + 1}`)).statusCode).toBe(401)
    const guess = await call(wrong, '203.0.113.200')
    expect(guess.statusCode).toBe(429)
    expect(Number(guess.headers['retry-after'])).toBeGreaterThan(0)
    expect((await call(key.auth, '203.0.113.201')).statusCode).toBe(200)
    expect((await call(key.auth, '127.0.0.1')).statusCode).toBe(200)
    expect(h.logs.join('')).toContain('failed authentications reached the limit')
  })

  it('successful calls are not counted as failures', async () => {
    const key = await h.createKey(['read_products'])
    for (let i = 0; i < PER_ADDRESS * 3; i++) expect((await call(key.auth, '192.0.2.77')).statusCode).toBe(200)
  })
})

describe('when Redis fails', () => {
  let port = 0
  let redis: ChildProcess

  beforeAll(async () => {
    port = await freePort()
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
    if (!(await waitForPort(port, 5000))) throw new Error('redis-server did not start (is it installed?)')
    return () => void redis.kill('SIGKILL')
  })
  // Its own app, database and logs, counting in the Redis started above.
  const withRedis = useHarness(() => ({ REDIS_URL: `redis://127.0.0.1:${port}`, LOGIN_RATE_LIMIT: '3', LOG_LEVEL: 'info' }))

  const login = (password: string, remoteAddress = '192.0.2.10') =>
    withRedis.anonymous('POST', '/auth/login', { email: withRedis.email, password }, { remoteAddress })

  it('every limit keeps counting, in memory, and the switch is logged', async () => {
    // Counted in Redis while it runs.
    expect((await login('wrong 1')).statusCode).toBe(401)
    redis.kill('SIGKILL')
    await new Promise((r) => redis.once('exit', r))
    // The sign-in limit (3 a minute) still holds once Redis is gone.
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await login(`wrong ${i + 2}`)).statusCode)
    expect(statuses).toEqual([401, 401, 401, 429])
    expect(withRedis.logs.join('')).toContain('Redis is unavailable: rate limits now count in this process only')
    // The per-key request limit too.
    const token = (await login(TEST_PASSWORD, '192.0.2.11')).json<{ token: string }>().token
    const created = await withRedis.anonymous(
      'POST',
      `/stores/${withRedis.storeKey}/api-keys`,
      { description: 'limited', permissions: ['read_products'], rateLimitPerMinute: 2 },
      { headers: { authorization: `Bearer ${token}` } },
    )
    const key = created.json<CreatedApiKey>()
    const calls = []
    for (let i = 0; i < 3; i++) calls.push((await withRedis.v1('GET', '/v1/products', undefined, basic(key.key, key.secret))).statusCode)
    expect(calls).toEqual([200, 200, 429])
  })
})
