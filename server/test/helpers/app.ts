import { Writable } from 'node:stream'
import { afterAll, beforeAll, expect } from 'vitest'
import { CSRF_HEADER, PASSWORD_MIN_LENGTH, type LoginResponse } from '@deskflow/shared'
import { buildApp, type App } from '../../src/app'
import { loadConfig, type Config } from '../../src/config'
import { createLogger } from '../../src/lib/logger'
import { createSecretBox, type SecretBox } from '../../src/lib/secret-box'
import { hashPassword } from '../../src/features/auth/passwords'
import { createAdminsRepo } from '../../src/features/auth/repo'
import { createStoresRepo } from '../../src/features/stores/repo'
import { newId, randomBase62 } from '../../src/lib/ids'
import { createTestDatabase, type TestDatabase } from './db'
import { startDeliveryWorker } from '../../src/features/webhooks/worker'
import { apiKeys, webhooks } from '../../src/db/schema'

export const TEST_PASSWORD = 'correct horse battery staple'

/**
 * The header the web app sends: without it (or a browser's `Sec-Fetch-Site: same-origin`),
 * a request signed in with the session cookie cannot change anything (src/http/csrf.ts).
 */
export const CSRF = { [CSRF_HEADER.toLowerCase()]: '1' }

/** Configuration of the app under test, as environment variables; a function when a value is only known once the file's own setup ran. */
export type TestEnv = Record<string, string> | (() => Record<string, string>)

export interface TestAppOptions {
  /** Runs the webhook delivery worker next to the app, as `ROLE=all` does. */
  deliveryWorker?: boolean
}

export interface TestContext {
  app: App
  database: TestDatabase
  box: SecretBox
  /** Every log line the app wrote, raw, for "no secret in the logs" checks. */
  logs: string[]
  /**
   * Every password a request body carried (`password`, `currentPassword`, `newPassword`, …) of
   * the length a chosen password has at least; searched for in the logs after the file.
   */
  sentPasswords: Set<string>
  createAdmin(email?: string): Promise<{ id: string; email: string }>
  createStore(key?: string, memberIds?: string[]): Promise<{ id: string; key: string }>
  /** Signs in through the real route and returns the Cookie header value. */
  login(email: string, password?: string): Promise<string>
  /**
   * Another instance of the app on the same database and secret key, as a second
   * process behind a load balancer would be: `env` on top of this one's. Closed
   * after the file; its log lines join `logs`.
   */
  startApp(env?: Record<string, string>): Promise<App>
}

/** Builds the real app on a fresh database for one test file; closed after the file. */
export function useTestApp(env: TestEnv = {}, options: TestAppOptions = {}): TestContext {
  const ctx = { logs: [] as string[], sentPasswords: new Set<string>() } as TestContext
  const closers: Array<() => Promise<void>> = []
  beforeAll(async () => {
    const database = await createTestDatabase()
    const baseEnv = {
      DATABASE_URL: database.url,
      SECRET_KEY: randomBase62(48),
      LOG_LEVEL: 'debug',
      ...(typeof env === 'function' ? env() : env),
    }
    const config = loadConfig(baseEnv)
    const box = createSecretBox(config.SECRET_KEY!, config.SECRET_KEY_PREVIOUS)
    const sink = new Writable({
      write(chunk, _enc, done) {
        ctx.logs.push(String(chunk))
        // DEBUG_TEST_LOGS=1: errors the app logged (a 500's cause) also go to the test's output.
        if (process.env.DEBUG_TEST_LOGS && String(chunk).includes(`"level":50`)) process.stderr.write(String(chunk))
        done()
      },
    })
    const logger = createLogger('debug', sink)
    const start = async (withConfig: Config) => {
      const app = await buildApp({ config: withConfig, database, box, logger })
      app.addHook('preValidation', async (request) => collectPasswords(request.body, ctx.sentPasswords))
      closers.push(() => app.close())
      await app.ready()
      return app
    }
    const app = await start(config)
    if (options.deliveryWorker) {
      const worker = await startDeliveryWorker({
        pool: database.pool,
        deliverer: app.services.deliverer,
        concurrency: config.WEBHOOK_CONCURRENCY,
        logger,
        heartbeatMs: config.WORKER_HEARTBEAT_SECONDS * 1000,
      })
      // Stopped before the app closes: it delivers through the app's services.
      closers.unshift(() => worker.stop())
    }
    const admins = createAdminsRepo(database.db)
    const stores = createStoresRepo(database.db)
    const passwordHash = await hashPassword(TEST_PASSWORD)
    Object.assign(ctx, {
      app,
      database,
      box,
      async createAdmin(email = `admin-${randomBase62(8).toLowerCase()}@example.com`) {
        const row = await admins.insert({ id: newId('adm'), email, passwordHash })
        return { id: row.id, email: row.email }
      },
      async createStore(key = `store-${randomBase62(8).toLowerCase()}`, memberIds: string[] = []) {
        const store = await stores.insert({ id: newId('sto'), key, name: `Store ${key}` })
        for (const id of memberIds) await stores.addMember(store.id, id, 'owner')
        return { id: store.id, key: store.key }
      },
      async login(email: string, password = TEST_PASSWORD) {
        const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } })
        if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`)
        const cookie = res.cookies.find((c) => c.name === 'df_session')
        if (!cookie) throw new Error('login set no session cookie')
        return `df_session=${cookie.value}`
      },
      startApp: (more: Record<string, string> = {}) => start(loadConfig({ ...baseEnv, ...more })),
    } satisfies Omit<TestContext, 'logs' | 'sentPasswords'>)
  })
  afterAll(async () => {
    for (const close of closers) await close()
    if (ctx.database) await expectNoSecretInLogs(ctx)
    await ctx.database?.drop()
  })
  return ctx
}

/** The string values of every field named like a password, however deep, long enough to be a chosen one. */
function collectPasswords(body: unknown, into: Set<string>): void {
  if (!body || typeof body !== 'object') return
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string' && /password/i.test(name) && value.length >= PASSWORD_MIN_LENGTH) into.add(value)
    else collectPasswords(value, into)
  }
}

/**
 * After every test file: each API secret and webhook signing secret the file's
 * database holds (decrypted), the admins' password and every password a request sent
 * (a new password included), searched for in every log line the app wrote. None may appear.
 */
async function expectNoSecretInLogs(ctx: TestContext) {
  const keys = await ctx.database.db.select({ secret: apiKeys.secretCiphertext }).from(apiKeys)
  const hooks = await ctx.database.db
    .select({ secret: webhooks.secretCiphertext, previous: webhooks.previousSecretCiphertext })
    .from(webhooks)
  const secrets = [
    ...keys.map((k) => ctx.box.decrypt(k.secret)),
    ...hooks.flatMap((h) => [h.secret, h.previous].filter((c): c is string => c !== null).map((c) => ctx.box.decrypt(c))),
    TEST_PASSWORD,
    ...ctx.sentPasswords,
  ]
  const logs = ctx.logs.join('')
  for (const secret of secrets) expect(logs.includes(secret), `a secret (…${secret.slice(-4)}) appears in the logs`).toBe(false)
}

export type { LoginResponse }
