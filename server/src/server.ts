import type { Logger } from 'pino'
import type { Config } from './config'
import { connect, runMigrations, type Database } from './db'
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded'
import { buildApp, type App } from './app'
import { bootstrap, resolveSecretKey } from './bootstrap'
import { createSecretBox } from './lib/secret-box'
import { serverLogLines } from './lib/logger'
import { startDeliveryWorker, type DeliveryWorker } from './features/webhooks/worker'
import { healthRoutes } from './features/health/routes'
import { createDeliverer } from './features/webhooks/deliver'
import { webhookSettingsFrom } from './features/webhooks/retry'
import { createSender } from './features/webhooks/sender'
import Fastify, { type FastifyBaseLogger } from 'fastify'
import { sql } from 'drizzle-orm'

async function buildHealthServer(database: Database, logger: Logger) {
  const server = Fastify({ loggerInstance: logger as FastifyBaseLogger })
  let closing = false
  server.addHook('preClose', async () => {
    closing = true
  })
  await server.register(healthRoutes, {
    ping: async () => {
      await database.db.execute(sql`select 1`)
    },
    isClosing: () => closing,
  })
  return server
}

export interface RunningServer {
  app: App
  /** Where the API listens; null for a worker-only process. */
  url: string | null
  healthUrl: string
  /** Stops in order: delivery workers, HTTP, the pool, then the embedded database. */
  close(): Promise<void>
}

/**
 * Everything main.ts does short of signal handling: database, migrations, first
 * admin, then (by ROLE) the HTTP API, the webhook delivery workers, or both.
 */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  let embedded: EmbeddedDatabase | undefined
  let url = config.DATABASE_URL
  if (!url) {
    embedded = await startEmbeddedPostgres(config.DATA_DIR, {
      onLog: (output) => {
        for (const line of serverLogLines(output)) logger.debug({ postgres: line })
      },
    })
    url = embedded.url
    logger.info({ dataDir: config.DATA_DIR }, 'embedded PostgreSQL started')
  }
  let database: Database | undefined
  let worker: DeliveryWorker | undefined
  let workerDatabase: Database | undefined
  try {
    database = connect(url, { onError: (err) => logger.warn({ err }, 'idle database connection lost') })
    await runMigrations(database)
    const result = await bootstrap(database.db, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD })
    if (result.createdAdmin) {
      const { email, generatedPassword } = result.createdAdmin
      // Printed once, on the first run only, so the operator can sign in.
      const lines = [`First admin created: ${email}`]
      if (generatedPassword) lines.push(`Password: ${generatedPassword}  (shown once; set ADMIN_EMAIL/ADMIN_PASSWORD to choose your own)`)
      process.stdout.write(`\n  ${lines.join('\n  ')}\n  Store "demo" is ready.\n\n`)
    }
    const box = createSecretBox(await resolveSecretKey(config.SECRET_KEY, config.DATA_DIR))
    const app = await buildApp({ config, database, box, logger })
    if (config.ROLE !== 'api') {
      // Its own pool, sized to its concurrency: deliveries never wait behind API queries, nor the API behind them.
      workerDatabase = connect(url, { max: config.WEBHOOK_CONCURRENCY + 2, onError: (err) => logger.warn({ err }, 'idle worker connection lost') })
      const deliverer = createDeliverer({
        db: workerDatabase.db,
        pool: workerDatabase.pool,
        box,
        sender: createSender({ allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_URLS, timeoutMs: config.WEBHOOK_TIMEOUT_MS }),
        settings: webhookSettingsFrom(config),
      })
      worker = await startDeliveryWorker({
        pool: workerDatabase.pool,
        service: deliverer,
        concurrency: config.WEBHOOK_CONCURRENCY,
        logger,
        heartbeatMs: config.WORKER_HEARTBEAT_SECONDS * 1000,
      })
    }
    // A worker-only process serves just its health checks, for the orchestrator.
    const healthOnly = config.ROLE === 'worker' ? await buildHealthServer(database, logger) : undefined
    const address = await (healthOnly ?? app).listen({ host: config.HOST, port: config.PORT })
    const db = database
    const running = worker
    const workerDb = workerDatabase
    return {
      app,
      url: config.ROLE === 'worker' ? null : address,
      healthUrl: `${address}/health/ready`,
      async close() {
        await running?.stop()
        await workerDb?.close()
        await healthOnly?.close()
        await app.close()
        await db.close()
        await embedded?.stop()
      },
    }
  } catch (err) {
    await worker?.stop().catch(() => {})
    await workerDatabase?.close().catch(() => {})
    await database?.close().catch(() => {})
    await embedded?.stop().catch(() => {})
    throw err
  }
}
