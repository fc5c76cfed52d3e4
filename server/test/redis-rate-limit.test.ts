import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreatedApiKey } from '@deskflow/shared'
import { buildApp, type App } from '../src/app'
import { loadConfig } from '../src/config'
import { hashPassword } from '../src/features/auth/passwords'
import { createAdminsRepo } from '../src/features/auth/repo'
import { createStoresRepo } from '../src/features/stores/repo'
import { createLogger } from '../src/lib/logger'
import { newId, randomBase62 } from '../src/lib/ids'
import { createSecretBox } from '../src/lib/secret-box'
import { createTestDatabase, type TestDatabase } from './helpers/db'
import { basic } from './helpers/integrator'

/**
 * With REDIS_URL, instances share one rate-limit counter per key. This needs a Redis
 * server, so it runs where REDIS_URL is set (CI points it at the machine's Redis);
 * without Redis each instance counts in memory, which the other tests cover.
 */
describe.skipIf(!process.env.REDIS_URL)('rate limit shared through Redis', () => {
  let database: TestDatabase
  const apps: App[] = []
  let key: CreatedApiKey

  beforeAll(async () => {
    database = await createTestDatabase()
    const secretKey = randomBase62(48)
    for (let i = 0; i < 2; i++) {
      const config = loadConfig({ DATABASE_URL: database.url, SECRET_KEY: secretKey, REDIS_URL: process.env.REDIS_URL!, LOG_LEVEL: 'silent' })
      apps.push(await buildApp({ config, database, box: createSecretBox(secretKey), logger: createLogger('silent') }))
    }
    const admin = await createAdminsRepo(database.db).insert({ id: newId('adm'), email: 'redis@example.com', passwordHash: await hashPassword('redis password') })
    const stores = createStoresRepo(database.db)
    const store = await stores.insert({ id: newId('sto'), key: 'redis', name: 'Redis' })
    await stores.addMember(store.id, admin.id, 'owner')
    const login = await apps[0]!.inject({ method: 'POST', url: '/auth/login', payload: { email: 'redis@example.com', password: 'redis password' } })
    const created = await apps[0]!.inject({
      method: 'POST',
      url: '/stores/redis/api-keys',
      headers: { authorization: `Bearer ${login.json<{ token: string }>().token}` },
      payload: { description: 'shared limit', permissions: ['read_products'], rateLimitPerMinute: 3 },
    })
    key = created.json<CreatedApiKey>()
  })

  afterAll(async () => {
    for (const app of apps) await app.close()
    await database.drop()
  })

  it('counts requests on both instances against the one limit', async () => {
    const call = (app: App) => app.inject({ url: '/v1/products', headers: { authorization: basic(key.key, key.secret) } })
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
