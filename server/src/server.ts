import Fastify, { type FastifyBaseLogger } from 'fastify'
import type { Logger } from 'pino'
import type { Config } from './config'
import { createContainer, type Container } from './container'
import { connect, runMigrations, type Database } from './db'
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded'
import { buildApp, type App } from './app'
import { bootstrap, resolveSecretKey } from './bootstrap'
import { createSecretBox } from './lib/secret-box'
import { serverLogLines } from './lib/logger'
import { startDeliveryWorker, type DeliveryWorker } from './features/webhooks/worker'
import { healthRoutes } from './features/health/routes'
import { createMetrics, startMetricsServer, type MetricsSources } from './lib/metrics'

/** A worker-only process serves just its health checks, for the orchestrator. */
async function buildHealthServer(services: Container, logger: Logger) {
  const server = Fastify({ loggerInstance: logger as FastifyBaseLogger })
  server.addHook('preClose', async () => services.markClosing())
  await server.register(healthRoutes, services.health)
  return server
}

export interface RunningServer {
  /** The HTTP API; none in a worker-only process. */
  app: App | null
  /** Where the API listens; null for a worker-only process. */
  url: string | null
  healthUrl: string
  /** Stops in order: delivery workers, HTTP, the services, the pools, then the embedded database. */
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
  let container: Container | undefined
  let metricsServer: Awaited<ReturnType<typeof startMetricsServer>> | undefined
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
    const box = createSecretBox(await resolveSecretKey(config.SECRET_KEY, config.DATA_DIR), config.SECRET_KEY_PREVIOUS)
    // A warning: a ring is a passing state, to end once the rotation ran.
    if (config.SECRET_KEY_PREVIOUS)
      logger.warn(
        `Key ring: SECRET_KEY (key id ${box.keyId}) stores every new secret; the ${config.SECRET_KEY_PREVIOUS.length} key(s) of SECRET_KEY_PREVIOUS ` +
          'still read what they made. Run `secrets rotate`, then remove SECRET_KEY_PREVIOUS (README, "Rotating SECRET_KEY").',
      )
    // The workers' own pool, sized to their concurrency: deliveries never wait behind API
    // queries, nor the API behind them.
    if (config.ROLE !== 'api') {
      workerDatabase = connect(url, {
        max: config.WEBHOOK_CONCURRENCY + 2,
        onError: (err) => logger.warn({ err }, 'idle worker connection lost'),
      })
    }
    const metrics = config.METRICS_PORT === undefined ? undefined : createMetrics(metricSources(database, workerDatabase))
    const services = createContainer({ config, database, workerDatabase, box, logger, metrics })
    container = services
    const app = config.ROLE === 'worker' ? null : await buildApp({ config, logger, services })
    if (workerDatabase) {
      worker = await startDeliveryWorker({
        pool: workerDatabase.pool,
        deliverer: services.deliverer,
        concurrency: config.WEBHOOK_CONCURRENCY,
        logger,
        heartbeatMs: config.WORKER_HEARTBEAT_SECONDS * 1000,
        upkeep: {
          prune_events: {
            every: 'hour',
            run: () => services.events.prune(new Date(Date.now() - config.EVENTS_RETENTION_DAYS * 86_400_000)),
          },
          prune_idempotency_keys: { every: 'hour', run: () => services.idempotency.prune() },
          requeue_stranded_deliveries: {
            every: 'minute',
            run: async () => {
              const requeued = await services.deliverer.requeueStranded()
              if (requeued.length > 0)
                logger.warn({ deliveries: requeued }, 'webhook deliveries due with no job to send them were queued again')
            },
          },
        },
      })
    }
    metricsServer = metrics ? await startMetricsServer(metrics, config.METRICS_HOST, config.METRICS_PORT!) : undefined
    if (metricsServer) logger.info({ url: metricsServer.url }, 'metrics listening')
    const healthOnly = app ? undefined : await buildHealthServer(services, logger)
    const address = await (app ?? healthOnly!).listen({ host: config.HOST, port: config.PORT })
    const db = database
    const running = worker
    const workerDb = workerDatabase
    const metricsListener = metricsServer
    return {
      app,
      url: app ? address : null,
      healthUrl: `${address}/health/ready`,
      async close() {
        await running?.stop()
        await metricsListener?.close()
        await healthOnly?.close()
        await app?.close()
        await services.close()
        await workerDb?.close()
        await db.close()
        await embedded?.stop()
      },
    }
  } catch (err) {
    await metricsServer?.close().catch(() => {})
    await worker?.stop().catch(() => {})
    await container?.close().catch(() => {})
    await workerDatabase?.close().catch(() => {})
    await database?.close().catch(() => {})
    await embedded?.stop().catch(() => {})
    throw err
  }
}

/** The pools and the delivery queue the metrics report on. */
function metricSources(database: Database, workerDatabase: Database | undefined): MetricsSources {
  return {
    pools: { api: database.pool, ...(workerDatabase && { worker: workerDatabase.pool }) },
    jobsWaiting: async () => {
      const { rows } = await database.pool.query<{ n: number }>(
        'select count(*)::int as n from graphile_worker.jobs where locked_at is null and run_at <= now()',
      )
      return rows[0]?.n ?? 0
    },
  }
}
