import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type pg from 'pg'
import type * as PromClient from 'prom-client'
import { loadOnDemand } from './on-demand'

/** What the process reports to Prometheus (`METRICS_PORT`); nothing is measured while it is off. */
export interface Metrics {
  readonly registry: PromClient.Registry
  /** One answered HTTP request: its route template (`/v1/products/:id`), never the raw path. */
  request(method: string, route: string, status: number, seconds: number): void
  /** An integrator request's key check, by its answer (`accepted`, `unauthenticated`, `forbidden`, `rate_limited`). */
  keyCheck(status: number): void
  /** One webhook attempt; a success also gives the delivery's lag from the event. */
  delivery(ok: boolean, attempt: number, eventTimestamp: unknown, at: Date): void
}

export interface MetricsSources {
  /** The pools whose connections are reported (`api`, `worker`). */
  pools: Record<string, pg.Pool>
  /** Delivery jobs due and not taken by a worker. */
  jobsWaiting: () => Promise<number>
}

const keyOutcome = (status: number) =>
  status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : status === 429 ? 'rate_limited' : 'accepted'

export function createMetrics({ pools, jobsWaiting }: MetricsSources): Metrics {
  const client = loadOnDemand('prom-client') as typeof PromClient
  const registry = new client.Registry()
  client.collectDefaultMetrics({ register: registry, prefix: 'deskflow_' })
  const requests = new client.Histogram({
    name: 'deskflow_http_request_duration_seconds',
    help: 'HTTP requests by route template, method and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  })
  const keyChecks = new client.Counter({
    name: 'deskflow_api_key_checks_total',
    help: 'Integrator requests by the outcome of their API key check',
    labelNames: ['outcome'],
    registers: [registry],
  })
  const deliveries = new client.Counter({
    name: 'deskflow_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome and attempt number',
    labelNames: ['outcome', 'attempt'],
    registers: [registry],
  })
  const lag = new client.Histogram({
    name: 'deskflow_webhook_delivery_lag_seconds',
    help: "From an event's timestamp to its delivery's 2xx answer",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 7200, 36000],
    registers: [registry],
  })
  new client.Gauge({
    name: 'deskflow_webhook_jobs_waiting',
    help: 'Delivery jobs due and not yet taken by a worker',
    registers: [registry],
    async collect() {
      this.set(await jobsWaiting())
    },
  })
  new client.Gauge({
    name: 'deskflow_db_pool_connections',
    help: 'Database pool connections by pool and state (in use, idle, clients waiting for one)',
    labelNames: ['pool', 'state'],
    registers: [registry],
    collect() {
      for (const [name, pool] of Object.entries(pools)) {
        this.set({ pool: name, state: 'in_use' }, pool.totalCount - pool.idleCount)
        this.set({ pool: name, state: 'idle' }, pool.idleCount)
        this.set({ pool: name, state: 'waiting' }, pool.waitingCount)
      }
    },
  })

  return {
    registry,
    request(method, route, status, seconds) {
      requests.observe({ method, route, status_code: String(status) }, seconds)
    },
    keyCheck(status) {
      keyChecks.inc({ outcome: keyOutcome(status) })
    },
    delivery(ok, attempt, eventTimestamp, at) {
      deliveries.inc({ outcome: ok ? 'succeeded' : 'failed', attempt: String(attempt) })
      const from = typeof eventTimestamp === 'string' ? Date.parse(eventTimestamp) : NaN
      if (ok && Number.isFinite(from)) lag.observe(Math.max(0, (at.getTime() - from) / 1000))
    },
  }
}

/** `GET /metrics` on its own listener, apart from the API (by default on loopback only). */
export async function startMetricsServer(
  metrics: Metrics,
  host: string,
  port: number,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: the metrics are at /metrics\n')
      return
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err.message}\n`),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, resolve)
  })
  const { address, port: bound } = server.address() as AddressInfo
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${bound}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
