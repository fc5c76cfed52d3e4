#!/usr/bin/env node
// `pnpm bench` / `pnpm bench --quick`: see docs/performance.md.
// Starts what it needs (database, the built server, a second instance, webhook
// receivers, the baseline server), measures every figure against a baseline of the
// same run, prints a table, writes bench/results/<time>-<mode>.json, and stops and
// removes everything it started, also on failure or Ctrl-C.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { Admin, integrator, pool } from './lib/admin.mjs'
import { cleanupAll, installSignalHandlers } from './lib/cleanup.mjs'
import { prepareDatabase, query } from './lib/db.mjs'
import { keepPreviousLogs, RESULTS, ROOT, startServer } from './lib/procs.mjs'
import { markdownTable, printTable } from './lib/verdict.mjs'
import { adminList } from './figures/admin-list.mjs'
import { revocation } from './figures/revocation.mjs'
import { startup } from './figures/startup.mjs'
import { throughput } from './figures/throughput.mjs'
import { docsFirstLoad, webBundle } from './figures/web-bundle.mjs'
import { webhookLatency, webhookThroughput } from './figures/webhooks.mjs'
import { isolation } from './figures/isolation.mjs'
import { keyScale } from './figures/key-scale.mjs'
import { writes } from './figures/writes.mjs'
import { wideFanout } from './figures/wide-fanout.mjs'
import { summarizeProfile } from './profile-summary.mjs'

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'info' },
    'webhook-concurrency': { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'worker-processes': { type: 'string', default: '0' },
    strict: { type: 'boolean', default: false },
    markdown: { type: 'boolean', default: false },
    set: { type: 'string', multiple: true, default: [] },
    help: { type: 'boolean', default: false },
  },
  allowPositionals: true,
})

if (args.help) {
  process.stdout
    .write(`pnpm bench [--quick] [--only 1,2,...] [--profile] [--log-level info] [--webhook-concurrency N] [--no-build] [--strict] [--markdown]
  --quick       short durations (< 1 minute); what CI runs
  --only        figures to run (1-12), e.g. --only 1,2
  --profile     run server A with --cpu-prof (bench/results/profiles/) and summarize the top functions
  --strict      exit 2 when a target is missed (default: exit 0 whatever the numbers; 1 on harness errors)
  --markdown    also print the table as Markdown
  --worker-processes N   run A with ROLE=api and N separate ROLE=worker processes (as docker compose does)
  --set a.b=v   override a setting, e.g. --set latency.rate=20 --set fanout.duration=10 (see "settings" in the JSON)
`)
  process.exit(0)
}

const quick = args.quick
const only = args.only ? new Set(args.only.split(',').map((s) => Number(s.trim()))) : null
const wants = (n) => !only || only.has(n)

const CFG = quick
  ? {
      throughput: { connections: 20, duration: 1, warmup: 0.3, rounds: 1 },
      revocation: { rate: 200, before: 1, after: 1 },
      latency: { rate: 100, duration: 1.5, baselineDuration: 0.5, drainIdle: 3, drainMax: 5 },
      fanout: { endpoints: 10, rate: 110, duration: 2, drainIdle: 2, drainMax: 4 },
      adminList: { small: 1000, mid: 1000, large: 1000, duration: 0.5, warmup: 0.2 },
      keyScale: { small: 1000, mid: 1000, large: 5000, duration: 0.5, warmup: 0.25 },
      wideFanout: { small: 10, mid: 30, large: 100, maxWait: 20 },
      startup: { existingRuns: 1 },
      isolation: { endpoints: 10, rate: 10, duration: 1, drainMax: 10 },
    }
  : {
      throughput: { connections: 20, duration: 10, warmup: 2, rounds: 2 },
      revocation: { rate: 200, before: 3, after: 3 },
      latency: { rate: 100, duration: 20, baselineDuration: 10, drainIdle: 15, drainMax: 60 },
      fanout: { endpoints: 10, rate: 110, duration: 30, drainIdle: 15, drainMax: 120 },
      adminList: { small: 1000, mid: 10000, large: 100000, duration: 8, warmup: 2 },
      keyScale: { small: 1000, mid: 100000, large: 1000000, duration: 8, warmup: 2 },
      wideFanout: { small: 10, mid: 100, large: 1000, maxWait: 60 },
      startup: { existingRuns: 3 },
      isolation: { endpoints: 10, rate: 10, duration: 15, drainMax: 30 },
    }

for (const assignment of args.set) {
  const m = /^(\w+)\.(\w+)=(.+)$/.exec(assignment)
  if (!m || !(m[1] in CFG) || !(m[2] in CFG[m[1]]))
    throw new Error(
      `--set ${assignment}: expected one of ${Object.entries(CFG)
        .flatMap(([g, o]) => Object.keys(o).map((k) => `${g}.${k}`))
        .join(', ')}`,
    )
  CFG[m[1]][m[2]] = Number(m[3])
}

const ADMIN = { email: 'bench@example.com', password: `bench-${randomBytes(12).toString('hex')}` }
const stamp = new Date().toISOString().replace(/[:.]/g, '-')
const mode = quick ? 'quick' : 'full'
const t0 = performance.now()
const log = (msg) => process.stdout.write(`  [${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}\n`)

installSignalHandlers()
keepPreviousLogs()

const figures = []
const errors = []
let dbLabel = null
let profileDir = null

async function step(name, fn) {
  log(`${name}…`)
  try {
    const out = await fn()
    const list = Array.isArray(out) ? out : out ? [out] : []
    for (const f of list) figures.push(f)
  } catch (err) {
    errors.push({ step: name, message: err?.stack ?? String(err) })
    log(`  ✗ ${name}: ${err?.message ?? err}`)
  }
}

async function main() {
  if (!args['no-build']) {
    log('building the server (pnpm --filter @deskflow/server build)')
    execFileSync('pnpm', ['--filter', '@deskflow/server', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] })
  }
  if (!fs.existsSync(path.join(ROOT, 'server/dist/main.js')))
    throw new Error('server/dist/main.js is missing: run pnpm --filter @deskflow/server build')

  if (wants(7)) await step('7: web first-page JavaScript', () => webBundle())
  if (wants(8)) await step('8: start to ready (embedded database)', () => startup({ ...CFG.startup, admin: ADMIN }))

  // 7 also measures the API reference a running server sends (7b).
  const needsStack = [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12].some(wants)
  if (!needsStack) return
  const db = await prepareDatabase()
  dbLabel = db.label
  log(`database: ${db.label}`)
  if (args.profile) profileDir = path.join(RESULTS, 'profiles', stamp)
  const common = {
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_ALLOW_HTTP: 'true',
    LOG_LEVEL: args['log-level'],
    // Figure 3 keeps calling with a key it deleted, from the bench's own address: the limits
    // on failed authentication would cut that address off for the figures after it.
    API_AUTH_FAILURE_LIMIT_PER_ADDRESS: '1000000',
    API_AUTH_FAILURE_LIMIT_PER_KEY: '1000000',
    ...(args['webhook-concurrency'] && { WEBHOOK_CONCURRENCY: args['webhook-concurrency'] }),
  }
  const workerProcesses = Number(args['worker-processes'])
  const roleA = workerProcesses > 0 ? 'api' : 'all'
  const A = await startServer({
    name: 'instance-a',
    env: { ...db.serverEnv, ...common, ROLE: roleA },
    dataDir: db.dataDir,
    cpuProfDir: profileDir,
  })
  log(`instance A (ROLE=${roleA}) at ${A.url}, ready in ${(A.timing.readyMs / 1000).toFixed(2)} s`)
  if (wants(7)) await step('7b: API reference (/docs) first load', () => docsFirstLoad(A.url))
  const shared = db.shared()
  for (let i = 0; i < workerProcesses; i++) {
    await startServer({ name: `worker-${i + 1}`, env: { ...shared.env, ...common, ROLE: 'worker' }, cpuProfDir: profileDir })
    log(`delivery worker ${i + 1} (ROLE=worker) started`)
  }
  const ctx = {
    A,
    cfg: CFG.throughput,
    dbUrl: shared.url,
    sharedEnv: () => ({ ...shared.env, ...common }),
    logLevel: args['log-level'],
    webhookConcurrency: Number(args['webhook-concurrency'] ?? 20),
    admin: await Admin.login(A.url, ADMIN.email, ADMIN.password),
    keys: {},
  }
  ctx.storeId = (await query(ctx.dbUrl, `select id from stores where key = 'demo'`)).rows[0].id
  ctx.keys.read = await ctx.admin.createKey('bench read products', ['read_products'])
  ctx.keys.orders = await ctx.admin.createKey('bench orders', ['write_orders', 'read_orders'])
  const writer = await ctx.admin.createKey('bench catalog writer', ['write_products', 'read_products'])
  // 40 products with untracked stock: full pages of 20, and orders spread over many rows.
  const made = await pool(
    Array.from({ length: 40 }, (_, i) => i),
    8,
    (i) =>
      integrator(A.url, writer.authorization, 'POST', '/v1/products', { name: `Bench product ${i}`, sku: `BENCH-${i}`, price: 100 + i }),
  )
  ctx.productIds = made.map((p) => p.id)

  if (wants(1) || wants(2))
    await step(`1/2: throughput (${CFG.throughput.rounds} round(s) of ${CFG.throughput.duration} s per variant)`, () =>
      throughput(ctx, { fig1: wants(1), fig2: wants(2) }),
    )
  if (wants(9))
    await step(`9: POST /v1/customers (${CFG.throughput.rounds} round(s) of ${CFG.throughput.duration} s per side)`, () => writes(ctx))
  // Before figure 6, which adds its keys for good: this one leaves the keys as it found them.
  if (wants(10))
    await step(`10: key check at ${CFG.keyScale.small}, ${CFG.keyScale.mid} and ${CFG.keyScale.large} keys`, () =>
      keyScale(ctx, CFG.keyScale),
    )
  if (wants(6))
    await step(`6: admin keys list, first page at ${CFG.adminList.small}, ${CFG.adminList.mid} and ${CFG.adminList.large} keys`, () =>
      adminList(ctx, CFG.adminList),
    )
  if (wants(3)) await step('3: revocation under load (instances A and B)', () => revocation(ctx, CFG.revocation))
  if (wants(4)) await step(`4: order → webhook latency at ${CFG.latency.rate} orders/s`, () => webhookLatency(ctx, CFG.latency))
  if (wants(5))
    await step(`5: webhook throughput, ${CFG.fanout.endpoints} endpoints, ${CFG.fanout.duration} s`, () =>
      webhookThroughput(ctx, CFG.fanout),
    )
  // Last: the hanging receiver's attempts hold worker slots until they time out.
  if (wants(12))
    await step(`12: one hanging receiver among ${CFG.isolation.endpoints}, ${CFG.isolation.rate} orders/s`, () =>
      isolation(ctx, CFG.isolation),
    )
  if (wants(11))
    await step(`11: one event to ${CFG.wideFanout.small}, ${CFG.wideFanout.mid} and ${CFG.wideFanout.large} webhooks`, () =>
      wideFanout(ctx, CFG.wideFanout),
    )
}

let fatal = null
try {
  await main()
} catch (err) {
  fatal = err
} finally {
  log('stopping everything the bench started')
  await cleanupAll()
}
if (fatal) errors.push({ step: 'harness', message: fatal?.stack ?? String(fatal) })

let profiles = []
if (profileDir && fs.existsSync(profileDir)) {
  profiles = fs
    .readdirSync(profileDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => ({ file: path.relative(ROOT, path.join(profileDir, f)), ...summarizeProfile(path.join(profileDir, f), 25) }))
}

const order = (id) => parseFloat(String(id)) + (/[a-z]$/.test(String(id)) ? String(id).charCodeAt(String(id).length - 1) / 1000 : 0)
figures.sort((a, b) => order(a.id) - order(b.id))
const totalSeconds = (performance.now() - t0) / 1000
const result = {
  mode,
  startedAt: new Date(Date.now() - totalSeconds * 1000).toISOString(),
  seconds: Math.round(totalSeconds * 10) / 10,
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memGB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  },
  database: dbLabel,
  settings: {
    ...CFG,
    logLevel: args['log-level'],
    webhookConcurrency: Number(args['webhook-concurrency'] ?? 20),
    workerProcesses: Number(args['worker-processes']),
  },
  figures,
  errors,
  ...(profiles.length && { profiles }),
}
fs.mkdirSync(RESULTS, { recursive: true })
const out = path.join(RESULTS, `${stamp}-${mode}.json`)
fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`)

process.stdout.write(`\nDeskflow bench (${mode}) — ${result.machine.cpus} CPUs, Node ${process.version}, ${dbLabel ?? 'no database'}\n\n`)
process.stdout.write(`${printTable(figures)}\n\n`)
if (args.markdown) process.stdout.write(`${markdownTable(figures)}\n\n`)
for (const profile of profiles) {
  process.stdout.write(
    `CPU profile: ${profile.file} (${profile.busySeconds.toFixed(1)} s busy of ${profile.totalSeconds.toFixed(1)} s)\n  top self time:\n`,
  )
  for (const f of profile.functions.slice(0, 15)) process.stdout.write(`    ${f.selfPct.toFixed(1).padStart(5)}%  ${f.name}  ${f.where}\n`)
  process.stdout.write('  by package:\n')
  for (const p of profile.packages.slice(0, 10)) process.stdout.write(`    ${p.selfPct.toFixed(1).padStart(5)}%  ${p.name}\n`)
  process.stdout.write('\n')
}
const cpuLines = figures.flatMap((f) =>
  Object.entries(f.details?.cpuPerRequest ?? {}).map(
    ([variant, c]) =>
      `  ${String(f.id).padStart(2)} ${variant.padEnd(9)} server ${c.server ?? '—'} µs, PostgreSQL ${c.postgres ?? '—'} µs, load generator ${c.loadGenerator ?? '—'} µs`,
  ),
)
if (cpuLines.length) process.stdout.write(`\nCPU per request (median of the rounds, from /proc):\n${cpuLines.join('\n')}\n\n`)
process.stdout.write(`results: ${path.relative(ROOT, out)}   (${result.seconds} s)\n`)
if (errors.length) {
  process.stderr.write(`\nHarness errors (${errors.length}):\n${errors.map((e) => `- ${e.step}: ${e.message}`).join('\n')}\n`)
  process.exit(1)
}
const missed = figures.filter((f) => f.met === false)
if (missed.length)
  process.stdout.write(
    `targets missed: ${missed.map((f) => f.id).join(', ')}${args.strict ? '' : ' (not an error: pass --strict to fail on them)'}\n`,
  )
process.exit(args.strict && missed.length ? 2 : 0)
