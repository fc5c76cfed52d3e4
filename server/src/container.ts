import type { Logger } from 'pino'
import type * as IORedis from 'ioredis'
import { sql } from 'drizzle-orm'
import type { Config } from './config'
import type { Metrics } from './lib/metrics'
import type { Database } from './db'
import { createCursors } from './lib/cursor'
import { createEventFeed } from './features/events/feed'
import { createIdempotency } from './features/idempotency/service'
import type { SecretBox } from './lib/secret-box'
import { loadOnDemand } from './lib/on-demand'
import { createAdminsRepo } from './features/auth/repo'
import { createAuthService } from './features/auth/service'
import { createStoresRepo } from './features/stores/repo'
import { createStoresService } from './features/stores/service'
import { createAuditRepo } from './features/audit/repo'
import { createAuditService } from './features/audit/service'
import { createSecretReveal } from './features/audit/secret-reveal'
import { createApiKeysRepo } from './features/api-keys/repo'
import { createApiKeysService } from './features/api-keys/service'
import { createApiKeyVerifier } from './features/api-keys/verify'
import { createCatalogRepo } from './features/catalog/repo'
import { createCatalogServices } from './features/catalog/service'
import { createOrdersRepo } from './features/orders/repo'
import { createOrdersService } from './features/orders/service'
import { createUsageRecorder } from './features/usage/recorder'
import { createUsageRepo } from './features/usage/repo'
import { createUsageService } from './features/usage/service'
import { createDeliverer } from './features/webhooks/deliver'
import { createDeliveriesRepo } from './features/webhooks/deliveries-repo'
import { createWebhooksRepo } from './features/webhooks/repo'
import { webhookSettingsFrom } from './features/webhooks/retry'
import { createSender } from './features/webhooks/sender'
import { createWebhooksService } from './features/webhooks/service'

export interface ContainerOptions {
  config: Config
  database: Database
  /** The delivery workers' own pool (sized to their concurrency); the API's when absent. */
  workerDatabase?: Database
  box: SecretBox
  logger: Logger
  /** Set when METRICS_PORT is: what the process reports to Prometheus. */
  metrics?: Metrics | undefined
}

/**
 * The composition root: every service of the product, built once, whatever the
 * process's role. The HTTP app (`buildApp`) and the delivery workers (`server.ts`)
 * take what they need from it; tests take the same.
 */
export function createContainer({ config, database, workerDatabase, box, logger, metrics }: ContainerOptions) {
  const { db } = database
  const cursors = createCursors(box.cursorKeys)
  const auth = createAuthService({ db, repo: createAdminsRepo(db) })
  const audit = createAuditService({ repo: createAuditRepo(db), cursors })
  const stores = createStoresService({ db, repo: createStoresRepo(db), auth, audit })
  const secretReveal = createSecretReveal({ db, auth, audit })
  const apiKeysRepo = createApiKeysRepo(db)
  const apiKeys = createApiKeysService({ db, repo: apiKeysRepo, box, audit, secretReveal, cursors, log: logger })
  const verifyApiKey = createApiKeyVerifier({ repo: apiKeysRepo, box })
  const catalog = createCatalogServices(db, cursors, createCatalogRepo(db))
  const orders = createOrdersService(db, cursors, createOrdersRepo(db))
  const events = createEventFeed(db, cursors)
  const idempotency = createIdempotency(db)
  const usageRepo = createUsageRepo(db)
  const usage = createUsageService({ repo: usageRepo })
  const usageRecorder = createUsageRecorder({
    db,
    repo: usageRepo,
    onError: (err) => logger.warn({ err }, 'usage flush failed; will retry'),
  })
  const settings = webhookSettingsFrom(config)
  const sender = createSender({ allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_URLS, timeoutMs: config.WEBHOOK_TIMEOUT_MS })
  const deliveries = workerDatabase ?? database
  const deliverer = createDeliverer({ db: deliveries.db, repo: createDeliveriesRepo(deliveries), box, sender, settings, metrics })
  const webhooks = createWebhooksService({
    db,
    repo: createWebhooksRepo(db),
    box,
    deliverer,
    audit,
    secretReveal,
    settings,
    cursors,
    onRecordError: (err) => logger.warn({ err }, 'a Send Dummy result could not be written to the delivery log'),
  })
  // Several instances share rate-limit counters through Redis; one instance counts in memory.
  // Commands fail at once while Redis is away (no offline queue, a short timeout), and the
  // rate-limit store then counts in memory: a request never waits on Redis for long.
  const redis = config.REDIS_URL
    ? new (loadOnDemand('ioredis') as typeof IORedis).Redis(config.REDIS_URL, {
        maxRetriesPerRequest: 1,
        connectTimeout: 2000,
        commandTimeout: 500,
        enableOfflineQueue: false,
      })
    : undefined
  // Reported by the rate-limit store when a command fails; the connection's own events add nothing.
  redis?.on('error', () => {})

  let closing = false
  const health = {
    ping: async () => {
      await db.execute(sql`select 1`)
    },
    isClosing: () => closing,
  }

  return {
    config,
    metrics,
    box,
    cursors,
    auth,
    stores,
    audit,
    apiKeys,
    verifyApiKey,
    catalog,
    orders,
    events,
    idempotency,
    usage,
    usageRecorder,
    deliverer,
    webhooks,
    redis,
    health,
    /** From now on readiness answers 503: the process is shutting down. */
    markClosing() {
      closing = true
    },
    /** Flushes usage counts and lets go of connections; the pools are the caller's. */
    async close() {
      closing = true
      await usageRecorder.stop()
      redis?.disconnect()
      sender.close()
    },
  }
}

export type Container = ReturnType<typeof createContainer>
