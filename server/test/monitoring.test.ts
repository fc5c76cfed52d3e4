import { execFile, spawn } from 'node:child_process'
import { accessSync, constants, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './helpers/db'
import { freePort, useServerProcesses, waitForPort } from './helpers/process'
import { useReceivers, type Receiver } from './helpers/receiver'
import { asIntegrator, serverEnv, signIn } from './helpers/remote'

/*
 * The compose profile's monitoring, with the real Prometheus (Debian's `prometheus`): the
 * repo's scrape configuration passes `promtool check config`, and a Prometheus scraping a
 * running server answers every query of the provisioned Grafana dashboard with series.
 * (Grafana itself does not run here: it is not packaged by Debian, and no container engine
 * runs. What it would chart is exactly these queries' answers.)
 */
const ROOT = path.resolve(import.meta.dirname, '../..')
const DASHBOARD = path.join(ROOT, 'ops/grafana/dashboards/deskflow.json')

function findTool(name: 'prometheus' | 'promtool'): string {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/bin', '/usr/local/bin']
  for (const dir of dirs) {
    try {
      accessSync(path.join(dir, name), constants.X_OK)
      return path.join(dir, name)
    } catch {
      // try the next one
    }
  }
  throw new Error(`This test needs ${name} (Debian: apt-get install prometheus; \`npm test\` installs it when run as root).`)
}

const run = (file: string, args: string[]) =>
  new Promise<{ code: number; output: string }>((resolve) =>
    execFile(file, args, (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, output: stdout + stderr })),
  )

/** Every `expr` of the dashboard's panels, with the panel's title. */
function dashboardQueries(): Array<{ title: string; expr: string }> {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Array<{ title: string; targets?: Array<{ expr: string }> }> }
  return dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ title: panel.title, expr: target.expr })))
}

const database = useTestDatabase()
const receivers = useReceivers()
const servers = useServerProcesses()
let receiver: Receiver
let base = ''
let prometheusUrl = ''
let metricsPort = 0
let stopPrometheus: () => Promise<void> = async () => {}

async function query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`)
  const body = (await res.json()) as {
    status: string
    error?: string
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> }
  }
  expect(body.status, `${expr}: ${body.error ?? ''}`).toBe('success')
  return body.data.result
}

async function scrapes(): Promise<number> {
  const [series] = await query(`count_over_time(up{job="deskflow-api"}[10m])`)
  return series ? Number(series.value[1]) : 0
}

beforeAll(async () => {
  // Every delivery's first attempt fails and is retried at once: the dashboard's retry panel has data too.
  const seen = new Set<string>()
  receiver = await receivers((r, _n, res) => {
    const id = String(r.headers['webhook-id'])
    res.writeHead(seen.has(id) ? 204 : 500).end()
    seen.add(id)
  })
  metricsPort = await freePort()
  base = (
    await servers.serve({
      ...serverEnv(database.url),
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_RETRY_SCALE: '0.0001',
      METRICS_PORT: String(metricsPort),
    })
  ).base

  const dir = await mkdtemp(path.join(os.tmpdir(), 'deskflow-prometheus-'))
  const port = await freePort()
  prometheusUrl = `http://127.0.0.1:${port}`
  await writeFile(
    path.join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: deskflow-api',
      '    static_configs:',
      `      - targets: ['127.0.0.1:${metricsPort}']`,
    ].join('\n'),
  )
  const child = spawn(findTool('prometheus'), [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ])
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  stopPrometheus = async () => {
    if (child.exitCode === null) child.kill('SIGTERM')
    await exited
    await rm(dir, { recursive: true, force: true })
  }
  if (!(await waitForPort(port, 20_000, () => child.exitCode !== null))) throw new Error(`prometheus did not start:\n${output}`)
  // Prometheus listens before its storage is open, and answers queries 503 until then.
  for (let i = 0; (await fetch(`${prometheusUrl}/-/ready`)).status !== 200; i++) {
    if (i > 200) throw new Error(`prometheus never became ready:\n${output}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  // Traffic only after the first scrape, so that every counter's rate has a before and an after.
  for (let i = 0; (await scrapes()) < 1; i++) {
    if (i > 100) throw new Error(`prometheus never scraped the server:\n${output}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}, 60_000)

afterAll(() => stopPrometheus())

describe('monitoring with the real Prometheus', () => {
  it("the compose profile's scrape configuration is valid", async () => {
    const checked = await run(findTool('promtool'), ['check', 'config', path.join(ROOT, 'ops/prometheus/prometheus.yml')])
    expect(checked.code, checked.output).toBe(0)
    expect(checked.output).toMatch(/SUCCESS/)
  })

  it("answers every query of the Grafana dashboard with series from a running server's traffic", async () => {
    const admin = await signIn(base)
    await admin.addWebhook(receiver.url, 'customer.created')
    const key = await admin.createKey({ description: 'Monitoring', permissions: ['read_products', 'write_customers'] })
    const integrator = asIntegrator(base, key)
    // Twice, a few scrapes apart: a series appears with its first sample, so only what
    // happens after that sample shows in a rate (as with any Prometheus counter).
    for (const round of [1, 2]) {
      expect((await integrator.request('GET', '/v1/products')).status).toBe(200)
      expect(
        (await integrator.request('POST', '/v1/customers', { email: `watch${round}@example.com`, firstName: 'Wat', lastName: 'Ch' }))
          .status,
      ).toBe(201)
      expect((await integrator.request('GET', '/v1/orders')).status).toBe(403)
      await receiver.waitFor(2 * round, 20_000)
      const before = await scrapes()
      while ((await scrapes()) < before + 3) await new Promise((r) => setTimeout(r, 200))
    }

    const queries = dashboardQueries()
    expect(queries.length).toBeGreaterThanOrEqual(12)
    const withoutData: string[] = []
    for (const { title, expr } of queries) {
      const values = (await query(expr)).map((series) => Number(series.value[1])).filter(Number.isFinite)
      // A rate must have moved with this traffic; a level (jobs waiting, connections, memory) must be there.
      const seen = expr.includes('rate(') ? values.some((v) => v > 0) : values.length > 0
      if (!seen) withoutData.push(`${title}: ${expr}`)
    }
    expect(withoutData, 'dashboard queries without data').toEqual([])
    // And the numbers are this traffic's: two forbidden key checks, every delivery retried once.
    const [forbidden] = await query('sum(deskflow_api_key_checks_total{outcome="forbidden"})')
    expect(Number(forbidden!.value[1])).toBe(2)
    const [retries] = await query('sum(deskflow_webhook_deliveries_total{attempt="2"})')
    expect(Number(retries!.value[1])).toBe(2)
  }, 60_000)
})
