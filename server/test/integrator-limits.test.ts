import { describe, expect, it } from 'vitest'
import type { ApiKey, ErrorResponse, UsageReport } from '@deskflow/shared'
import { useHarness } from './helpers/harness'

const h = useHarness({ USAGE_FLUSH_SECONDS: '3600' })

const get = (url: string, auth: string, remoteAddress = '127.0.0.1') => h.v1('GET', url, undefined, { auth, remoteAddress })

describe('rate limit per key', () => {
  it('sends RateLimit headers, then 429 with Retry-After once the key is over its limit', async () => {
    const k = await h.createKey(['read_products'], { rateLimitPerMinute: 3 })
    const other = await h.createKey(['read_products'], { rateLimitPerMinute: 3 })
    const first = await get('/v1/products', k.auth)
    expect(first.statusCode).toBe(200)
    expect(first.headers['ratelimit-limit']).toBe('3')
    expect(first.headers['ratelimit-remaining']).toBe('2')
    expect(Number(first.headers['ratelimit-reset'])).toBeGreaterThan(0)
    await get('/v1/products', k.auth)
    await get('/v1/products', k.auth)
    const limited = await get('/v1/products', k.auth)
    expect(limited.statusCode).toBe(429)
    expect(limited.json<ErrorResponse>().error.code).toBe('rate_limited')
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    // The limit is per key: another key of the same store is unaffected.
    expect((await get('/v1/products', other.auth)).statusCode).toBe(200)
  })

  it("sends the current draft's RateLimit-Policy and RateLimit beside them, on 404 and 401 too", async () => {
    const k = await h.createKey(['read_products'], { rateLimitPerMinute: 5 })
    const first = await get('/v1/products', k.auth)
    expect(first.headers['ratelimit-policy']).toBe('"key";q=5;w=60')
    expect(first.headers.ratelimit).toBe(`"key";r=4;t=${first.headers['ratelimit-reset']}`)
    const missing = await get('/v1/products/prod_doesnotexist', k.auth)
    expect(missing.statusCode).toBe(404)
    expect(missing.headers.ratelimit).toMatch(/^"key";r=3;t=\d+$/)
    // Refused credentials count against the address's failed authentications.
    const address = '198.51.100.77'
    const wrong = await get('/v1/products', `${k.auth.slice(0, -2)}AA`, address)
    expect(wrong.statusCode).toBe(401)
    const [, quota] = /^"failed-auth";q=(\d+);w=60$/.exec(String(wrong.headers['ratelimit-policy'])) ?? []
    expect(Number(quota)).toBeGreaterThan(0)
    expect(wrong.headers.ratelimit).toMatch(new RegExp(`^"failed-auth";r=${Number(quota) - 1};t=\\d+$`))
    expect(wrong.headers['ratelimit-limit']).toBe(quota)
    const none = await h.v1('GET', '/v1/products', undefined, { auth: '', remoteAddress: address })
    expect(none.statusCode).toBe(401)
    expect(none.headers.ratelimit).toMatch(new RegExp(`^"failed-auth";r=${Number(quota) - 1};t=\\d+$`))
  })

  it('defaults to 600 a minute and follows a change made by the admin', async () => {
    const k = await h.createKey(['read_products'])
    expect((await get('/v1/products', k.auth)).headers['ratelimit-limit']).toBe('600')
    await h.admin('PATCH', `/api-keys/${k.id}`, { rateLimitPerMinute: 1000 })
    expect((await get('/v1/products', k.auth)).headers['ratelimit-limit']).toBe('1000')
  })
})

describe('IP allowlist', () => {
  it('accepts listed addresses and ranges, refuses others with 403 naming the address', async () => {
    const k = await h.createKey(['read_products'], { allowedIps: ['203.0.113.0/24', '2001:db8::/32'] })
    expect((await get('/v1/products', k.auth, '203.0.113.50')).statusCode).toBe(200)
    expect((await get('/v1/products', k.auth, '2001:db8::7')).statusCode).toBe(200)
    const refused = await get('/v1/products', k.auth, '198.51.100.1')
    expect(refused.statusCode).toBe(403)
    expect(refused.json<ErrorResponse>().error.message).toContain('198.51.100.1')
  })
})

describe('usage monitoring', () => {
  it('counts requests by outcome per hour, without a database write per request, and records last use', async () => {
    const k = await h.createKey(['read_products'], { rateLimitPerMinute: 4 })
    const mistyped = `${k.secret.slice(0, -1)}${k.secret.endsWith('X') ? 'Y' : 'X'}`
    const wrong = `Basic ${Buffer.from(`${k.key}:${mistyped}`).toString('base64')}`
    await get('/v1/products', k.auth, '192.0.2.10')
    await get('/v1/products/prod_000000000000000000000', k.auth, '192.0.2.10')
    await get('/v1/orders', k.auth, '192.0.2.11')
    await get('/v1/products', wrong, '192.0.2.99')
    await get('/v1/products', k.auth, '192.0.2.12')
    await get('/v1/products', k.auth, '192.0.2.12')

    // Nothing is written until the buffer is flushed (every USAGE_FLUSH_SECONDS, and at shutdown).
    const report = async () => (await h.admin('GET', `/usage?apiKeyId=${k.id}`)).json<UsageReport>()
    expect((await report()).keys[0]!.totals.success).toBe(0)
    await h.app.services.usageRecorder.flush()

    const usage = await report()
    expect(usage.period).toBe('24h')
    expect(usage.series).toHaveLength(24)
    expect(usage.keys).toHaveLength(1)
    // 403 (no read_orders) and 401 (mistyped secret) are both auth errors.
    expect(usage.keys[0]!.totals).toEqual({ success: 2, clientError: 1, authError: 2, rateLimited: 1, serverError: 0 })
    const lastHour = usage.series.at(-1)!
    expect(lastHour).toMatchObject({ success: 2, clientError: 1, authError: 2, rateLimited: 1 })
    // Last use is the last authenticated request; the refused wrong secret does not count as use.
    expect(usage.keys[0]!.lastUsedIp).toBe('192.0.2.12')
    const listed = (await h.admin('GET', `/api-keys/${k.id}`)).json<ApiKey>()
    expect(listed.lastUsedIp).toBe('192.0.2.12')
    expect(Date.now() - new Date(listed.lastUsedAt!).getTime()).toBeLessThan(60_000)

    const week = (await h.admin('GET', '/usage?period=7d')).json<UsageReport>()
    expect(week.series).toHaveLength(168)
    expect(week.series.reduce((n, b) => n + b.success, 0)).toBeGreaterThanOrEqual(2)
  })

  it('keeps counts when a flush fails, and writes them with the next one', async () => {
    const k = await h.createKey(['read_products'])
    await get('/v1/products', k.auth)
    // Fault: the pool refuses the connection of the next flush once.
    const pool = h.database.pool
    const connect = pool.connect.bind(pool)
    let failed = false
    pool.connect = (async () => {
      pool.connect = connect
      failed = true
      throw new Error('database unavailable')
    }) as typeof pool.connect
    await h.app.services.usageRecorder.flush()
    expect(failed).toBe(true)
    await h.app.services.usageRecorder.flush()
    const usage = (await h.admin('GET', `/usage?apiKeyId=${k.id}`)).json<UsageReport>()
    expect(usage.keys[0]!.totals.success).toBe(1)
  })

  it('reports the whole store over 30 days: the busiest keys first, at most 20, keys without requests left out', async () => {
    const store = await h.newStore()
    const quiet = await store.createKey(['read_products'])
    const keys = []
    for (let i = 0; i < 22; i++) keys.push(await store.createKey(['read_products']))
    // Key i makes i + 1 requests; the quiet key none.
    for (const [i, k] of keys.entries()) for (let n = 0; n <= i; n++) await get('/v1/products', k.auth)
    await h.app.services.usageRecorder.flush()

    const month = (await store.admin('GET', '/usage?period=30d')).json<UsageReport>()
    expect(month.period).toBe('30d')
    expect(month.series).toHaveLength(720)
    expect(month.series.reduce((n, b) => n + b.success, 0)).toBe((22 * 23) / 2)
    expect(month.keys.map((k) => k.apiKeyId)).toEqual(
      keys
        .slice(2)
        .reverse()
        .map((k) => k.id),
    )
    expect(month.keys[0]!.totals.success).toBe(22)
    expect(month.keys.map((k) => k.apiKeyId)).not.toContain(quiet.id)
    // A deleted key's requests stay in the totals; the list takes the next busiest key instead.
    expect((await store.admin('DELETE', `/api-keys/${keys[21]!.id}`)).statusCode).toBe(204)
    const afterDelete = (await store.admin('GET', '/usage?period=30d')).json<UsageReport>()
    expect(afterDelete.keys.map((k) => k.apiKeyId)).toEqual(
      keys
        .slice(1, 21)
        .reverse()
        .map((k) => k.id),
    )
    // One key, asked for by id, is reported even without requests.
    const one = (await store.admin('GET', `/usage?period=30d&apiKeyId=${quiet.id}`)).json<UsageReport>()
    expect(one.keys).toEqual([expect.objectContaining({ apiKeyId: quiet.id, totals: expect.objectContaining({ success: 0 }) })])
  })

  it("refuses another store's usage and bad parameters", async () => {
    const other = await h.newStore()
    expect((await other.signedIn('GET', `/stores/${h.storeKey}/usage`)).statusCode).toBe(404)
    const bad = await h.admin('GET', '/usage?period=1y')
    expect(bad.statusCode).toBe(422)
    expect(bad.json<ErrorResponse>().error.details?.[0]?.field).toBe('period')
  })
})
