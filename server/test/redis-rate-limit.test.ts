import { beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../src/app'
import { useHarness, type ApiKeyFixture } from './helpers/harness'

/**
 * With REDIS_URL, instances share one rate-limit counter per key. This needs a Redis
 * server, so it runs where REDIS_URL is set (CI points it at the machine's Redis);
 * without Redis each instance counts in memory, which the other tests cover.
 */
describe.skipIf(!process.env.REDIS_URL)('rate limit shared through Redis', () => {
  const h = useHarness({ REDIS_URL: process.env.REDIS_URL!, LOG_LEVEL: 'silent' })
  const apps: App[] = []
  let key: ApiKeyFixture

  beforeAll(async () => {
    apps.push(h.app, await h.startApp())
    key = await h.createKey(['read_products'], { rateLimitPerMinute: 3 })
  })

  it('counts requests on both instances against the one limit', async () => {
    const call = (app: App) => app.inject({ url: '/v1/products', headers: { authorization: key.auth } })
    expect((await call(apps[0]!)).statusCode).toBe(200)
    expect((await call(apps[1]!)).statusCode).toBe(200)
    const third = await call(apps[0]!)
    expect(third.statusCode).toBe(200)
    expect(third.headers['ratelimit-remaining']).toBe('0')
    const fourth = await call(apps[1]!)
    expect(fourth.statusCode).toBe(429)
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0)
  })
})
