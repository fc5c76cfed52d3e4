import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './helpers/db'
import { freePort, useServerProcesses } from './helpers/process'
import { useReceivers, type Receiver } from './helpers/receiver'
import { asIntegrator, serverEnv, signIn } from './helpers/remote'

/** Prometheus metrics on their own listener (METRICS_PORT), scraped after real traffic. */
const database = useTestDatabase()
const receivers = useReceivers()
const servers = useServerProcesses()
let receiver: Receiver
let base = ''
let metricsUrl = ''

beforeAll(async () => {
  receiver = await receivers()
  const port = await freePort()
  metricsUrl = `http://127.0.0.1:${port}/metrics`
  const env = { ...serverEnv(database.url), WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_ALLOW_HTTP: 'true', METRICS_PORT: String(port) }
  base = (await servers.serve(env)).base
}, 60_000)

async function scrape(): Promise<string> {
  const res = await fetch(metricsUrl)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  return res.text()
}

/** The value of one series, 0 when absent: `name{label="value",…}` in any label order. */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!m || m[1] !== name) continue
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]))
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3])
  }
  return 0
}

describe('metrics', () => {
  it('count requests by route template, key checks by outcome, deliveries and their lag, and report pools, jobs and the process', async () => {
    const before = await scrape()
    const admin = await signIn(base)
    await admin.addWebhook(receiver.url)
    const key = await admin.createKey({ description: 'metrics', permissions: ['read_products', 'write_orders'] })
    const integrator = asIntegrator(base, key)
    const [product] = await integrator.products()
    await integrator.request('GET', `/v1/products/${product!.id}`)
    await integrator.request('GET', '/v1/customers') // 403: no read_customers
    await asIntegrator(base, { key: key.key, secret: 'dfs_wrong' }).request('GET', '/v1/products') // 401
    expect((await integrator.order(product!.id)).status).toBe(201)
    await receiver.waitFor(1)

    // The delivery's outcome is counted right after its answer arrives.
    await expect
      .poll(async () => value(await scrape(), 'deskflow_webhook_deliveries_total', { outcome: 'succeeded', attempt: '1' }))
      .toBe(1)
    const after = await scrape()
    const routeCount = (route: string, status: string) =>
      value(after, 'deskflow_http_request_duration_seconds_count', { method: 'GET', route, status_code: status })
    expect(routeCount('/v1/products', '200')).toBe(1)
    expect(routeCount('/v1/products/:id', '200')).toBe(1)
    expect(routeCount('/v1/customers', '403')).toBe(1)
    expect(routeCount('/v1/products', '401')).toBe(1)
    expect(after).not.toContain(product!.id)
    expect(
      value(after, 'deskflow_api_key_checks_total', { outcome: 'accepted' }) -
        value(before, 'deskflow_api_key_checks_total', { outcome: 'accepted' }),
    ).toBe(3)
    expect(value(after, 'deskflow_api_key_checks_total', { outcome: 'forbidden' })).toBe(1)
    expect(value(after, 'deskflow_api_key_checks_total', { outcome: 'unauthenticated' })).toBe(1)
    expect(value(after, 'deskflow_webhook_delivery_lag_seconds_count')).toBe(1)
    expect(value(after, 'deskflow_webhook_delivery_lag_seconds_sum')).toBeGreaterThan(0)
    expect(after).toMatch(/^deskflow_db_pool_connections\{pool="api",state="idle"\} \d+$/m)
    expect(after).toMatch(/^deskflow_db_pool_connections\{pool="worker",state="in_use"\} \d+$/m)
    expect(after).toMatch(/^deskflow_webhook_jobs_waiting \d+$/m)
    expect(value(after, 'deskflow_process_cpu_user_seconds_total')).toBeGreaterThan(0)
    // Secrets never reach the metrics.
    expect(after).not.toContain(key.secret)
  })

  it("the compose profile's Grafana dashboard charts only series the server exports", async () => {
    const dashboard = readFileSync(new URL('../../ops/grafana/dashboards/deskflow.json', import.meta.url), 'utf8')
    const used = new Set([...dashboard.matchAll(/\b(deskflow_\w+?)(?:_bucket|_count|_sum)?\b/g)].map((m) => m[1]!))
    expect(used.size).toBeGreaterThan(6)
    const exported = await scrape()
    for (const name of used) expect(exported, name).toMatch(new RegExp(`^# TYPE ${name} `, 'm'))
  })

  it('serves nothing else on its listener, and nothing on the API port', async () => {
    expect((await fetch(metricsUrl.replace('/metrics', '/'))).status).toBe(404)
    // The API's port has the web app there (its page for any path), never the metrics.
    expect(await (await fetch(`${base}/metrics`)).text()).not.toContain('deskflow_http_request_duration_seconds')
  })
})
