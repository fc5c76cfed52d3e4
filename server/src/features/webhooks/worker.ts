import { EventEmitter } from 'node:events'
import type pg from 'pg'
import { Logger, makeWorkerUtils, run, type Runner, type WorkerEvents } from 'graphile-worker'
import type { Logger as Pino } from 'pino'
import { serializeError } from '../../lib/logger'
import type { Deliverer } from './deliver'
import { createHeartbeatsRepo } from './heartbeats-repo'

export interface DeliveryWorkerOptions {
  pool: pg.Pool
  deliverer: Pick<Deliverer, 'deliver'>
  concurrency: number
  logger: Pino
  /** How often a worker proves it is alive; jobs of workers silent for 6× this are unlocked. */
  heartbeatMs?: number
  /**
   * Upkeep by name, run once a minute or once an hour across all worker processes
   * (graphile-worker's cron: one process runs each turn).
   */
  upkeep?: Record<string, { every: 'minute' | 'hour'; run: () => Promise<unknown> }>
}

/**
 * graphile-worker's log lines, through pino. Its messages and metadata can carry a
 * failed query's parameters (payloads with customer data): those are cut out.
 */
function graphileLogger(logger: Pino) {
  return new Logger((scope) => (level, message, meta) => {
    const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : 'debug'
    const safe = Object.fromEntries(Object.entries(meta ?? {}).map(([k, v]) => [k, v instanceof Error ? serializeError(v) : v]))
    logger[method](
      { scope: { label: scope.label, taskIdentifier: scope.taskIdentifier, jobId: scope.jobId }, ...safe },
      message.replace(/params:[\s\S]*/, 'params: [not logged]'),
    )
  })
}

/**
 * Runs webhook deliveries with graphile-worker. A process killed mid-delivery leaves
 * its jobs locked (graphile-worker would wait 4 hours); workers therefore write
 * heartbeats, and every worker hands the jobs of silent workers back to the queue,
 * so deliveries resume within seconds of a restart. Delivery is at least once.
 */
export async function startDeliveryWorker(options: DeliveryWorkerOptions) {
  const heartbeatMs = options.heartbeatMs ?? 5000
  const upkeep = options.upkeep ?? {}
  const events: WorkerEvents = new EventEmitter()
  const ids = new Set<string>()
  events.on('pool:create', ({ workerPool }) => ids.add(workerPool.id))
  events.on('worker:create', ({ worker }) => ids.add(worker.workerId))

  const logger = graphileLogger(options.logger)
  const heartbeats = createHeartbeatsRepo(options.pool)
  const utils = await makeWorkerUtils({ pgPool: options.pool, logger })

  async function beat() {
    if (ids.size > 0) await heartbeats.beat([...ids])
    const silent = (await heartbeats.lockersSilentFor((heartbeatMs * 6) / 1000)).filter((id) => !ids.has(id))
    if (silent.length > 0) {
      options.logger.warn({ workers: silent }, 'unlocking jobs of stopped delivery workers')
      await utils.forceUnlockWorkers(silent)
    }
    await heartbeats.pruneOld()
  }

  const start = () =>
    run({
      pgPool: options.pool,
      concurrency: options.concurrency,
      noHandleSignals: true,
      pollInterval: 1000,
      logger,
      events,
      // Fetch and complete jobs in batches: one round trip serves many deliveries.
      // Jobs a killed process held this way are released by the heartbeat sweep too.
      preset: { worker: { localQueue: { size: options.concurrency + 1 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
      taskList: {
        deliver_webhook: async (payload) => {
          await options.deliverer.deliver((payload as { deliveryId: string }).deliveryId)
        },
        ...Object.fromEntries(Object.entries(upkeep).map(([name, { run }]) => [name, async () => void (await run())])),
      },
      crontab: Object.entries(upkeep)
        .map(([name, { every }]) => `${every === 'minute' ? '*' : '0'} * * * * ${name}`)
        .join('\n'),
    })

  /**
   * A pool that stops by itself is replaced. graphile-worker shuts its pool down when a
   * batch of completions fails once (a deadlock between two batches under load is
   * enough, graphile/worker#636): without this, deliveries would wait in the queue until
   * the process restarts. That shutdown stops fetching jobs at once but may never finish
   * (seen under load), so the pool is replaced as soon as its shutdown begins, not when
   * it ends. The stopped pool's jobs are handed back at once; a delivery it is still
   * sending is claimed, so the new pool does not send it at the same time, and one it had
   * already sent is found done and not sent again.
   */
  let stopping = false
  let currentPool: string | null = null
  events.on('pool:create', ({ workerPool }) => (currentPool = workerPool.id))
  let replaced: string | null = null
  const replace = (poolId: string | null, err?: unknown) => {
    if (stopping || poolId === null || poolId !== currentPool || replaced === poolId) return
    replaced = poolId
    void (async () => {
      const gone = [...ids]
      ids.clear()
      options.logger.error({ err, workers: gone }, 'delivery worker pool stopped by itself; starting a new one')
      await utils.forceUnlockWorkers(gone).catch((e: unknown) => options.logger.warn({ err: e }, 'unlocking the stopped pool failed'))
      while (!stopping) {
        try {
          runner = await start()
          supervise(runner)
          return
        } catch (e) {
          options.logger.warn({ err: e }, 'starting the delivery worker pool failed; trying again in 1 s')
          await new Promise((resolve) => setTimeout(resolve, 1000))
        }
      }
    })()
  }
  events.on('pool:gracefulShutdown', ({ workerPool, message }) => replace(workerPool.id, new Error(message)))
  let runner: Runner = await start()
  const supervise = (current: Runner) => {
    const pool = currentPool
    current.promise.then(
      () => replace(pool),
      (err: unknown) => replace(pool, err),
    )
  }
  supervise(runner)

  let beating: Promise<void> = Promise.resolve()
  const tick = () => {
    beating = beat().catch((err: unknown) => options.logger.warn({ err }, 'delivery worker heartbeat failed'))
  }
  tick()
  const timer = setInterval(tick, heartbeatMs)
  timer.unref()

  return {
    async stop() {
      stopping = true
      clearInterval(timer)
      await beating
      await runner.stop()
      await utils.release()
      if (ids.size > 0) await heartbeats.forget([...ids]).catch(() => {})
    },
  }
}

export type DeliveryWorker = Awaited<ReturnType<typeof startDeliveryWorker>>
