// Figures 1 and 2: closed-loop throughput, measured in interleaved rounds so that
// drift of a shared machine hits all variants alike.
//  1. GET /v1/products?limit=20 with a valid key, vs the baseline Fastify + pg server
//     (bench/baseline-server.mjs) running the same SELECT with no auth.
//  2. The key check alone: the same route with a valid key that lacks read_products
//     (the request is answered 403 right after the check: Basic parsing, key row read,
//     HMAC compare, rate-limit counter, usage count), vs GET /health/ready (no auth;
//     one `select 1`). Both do exactly one small indexed DB read and answer a tiny JSON,
//     so the difference is what the check adds.
import { withCpu } from '../lib/cpu.mjs'
import { closedLoop } from '../lib/load.mjs'
import { startChild } from '../lib/procs.mjs'
import { median, round } from '../lib/stats.mjs'
import { figure } from '../lib/verdict.mjs'

export async function startBaseline(env) {
  const b = startChild('baseline-server', ['bench/baseline-server.mjs'], env)
  const url = await new Promise((resolve, reject) => {
    let out = ''
    b.child.stdout.on('data', (c) => {
      out += c
      const m = /listening (\S+)/.exec(out)
      if (m) resolve(m[1])
    })
    b.child.once('exit', (code) => reject(new Error(`baseline server exited (${code}); see ${b.logFile}`)))
  })
  return { ...b, url }
}

function check(name, run, expected) {
  const total = Object.values(run.codes).reduce((a, b) => a + b, 0)
  const good = run.codes[expected] ?? 0
  if (total === 0 || good / total < 0.999 || run.errors > 0) {
    throw new Error(
      `${name}: expected every answer to be ${expected}, got ${JSON.stringify(run.codes)} (errors ${run.errors}, timeouts ${run.timeouts})`,
    )
  }
}

/**
 * Fresh keys for one run, used in turn: a key's rate limit (at most 100,000 a minute)
 * must not be what stops a fast run. Four keys allow 400,000 requests a minute.
 */
export async function freshKeys(ctx, permissions, count = 4) {
  const keys = []
  for (let i = 0; i < count; i++) keys.push(await ctx.admin.createKey(`bench ${permissions.join(' ')} ${keys.length}`, permissions))
  return keys.map((k) => k.authorization)
}

const brief = (r) => ({ rps: round(r.rps, 0), p50ms: r.latency.p50, p99ms: r.latency.p99, codes: r.codes, cpuPerRequest: r.cpuPerRequest })

/** The median over rounds of each part of `cpuPerRequest` (µs of CPU per request). */
export function medianCpu(runs) {
  const parts = ['server', 'postgres', 'loadGenerator']
  const out = {}
  for (const part of parts) {
    const values = runs.map((r) => r.cpuPerRequest?.[part]).filter((v) => Number.isFinite(v))
    out[part] = values.length ? round(median(values), 1) : null
  }
  return out
}

export async function throughput(ctx, { fig1, fig2 }) {
  const { A, cfg } = ctx
  const load = { connections: cfg.connections, duration: cfg.duration, warmup: cfg.warmup }
  const products = '/v1/products?limit=20'
  const baseline = fig1 ? await startBaseline({ DATABASE_URL: ctx.dbUrl, STORE_ID: ctx.storeId }) : null
  const runs = { baseline: [], products: [], ready: [], check: [] }
  try {
    // Same answer from both (sanity): the same 20 items, and a cursor. The product's cursor
    // is signed (one HMAC per page); the baseline's is the bare id, so only its presence is compared.
    if (baseline) {
      const [a, b] = await Promise.all([
        fetch(`${A.url}${products}`, { headers: { authorization: ctx.keys.read.authorization } }).then((r) => r.json()),
        fetch(`${baseline.url}${products}`).then((r) => r.json()),
      ])
      const same = JSON.stringify(a.data) === JSON.stringify(b.data) && (a.nextCursor === null) === (b.nextCursor === null)
      if (!same) throw new Error('the baseline server answers differently from GET /v1/products')
    }
    for (let round_ = 0; round_ < cfg.rounds; round_++) {
      if (baseline) {
        const r = await withCpu(baseline.child.pid, () => closedLoop({ ...load, url: `${baseline.url}${products}` }))
        check('baseline', r, '200')
        runs.baseline.push(r)
      }
      const authorizations = await freshKeys(ctx, ['read_products'])
      const p = await withCpu(A.pid, () => closedLoop({ ...load, url: `${A.url}${products}`, authorizations }))
      check('GET /v1/products (authenticated)', p, '200')
      runs.products.push(p)
      if (fig2) {
        const ready = await withCpu(A.pid, () => closedLoop({ ...load, url: `${A.url}/health/ready` }))
        check('GET /health/ready', ready, '200')
        runs.ready.push(ready)
        const lacking = await freshKeys(ctx, ['read_orders'])
        const c = await withCpu(A.pid, () => closedLoop({ ...load, url: `${A.url}${products}`, authorizations: lacking }))
        check('key check only (403)', c, '403')
        runs.check.push(c)
      }
    }
  } finally {
    await baseline?.stop()
  }
  const rps = (k) => median(runs[k].map((r) => r.rps))
  const out = []
  if (fig1) {
    out.push(
      judgeOnRatio(
        figure({
          id: 1,
          name: 'GET /v1/products?limit=20, authenticated',
          value: rps('products'),
          unit: 'req/s',
          baseline: { value: rps('baseline'), unit: 'req/s', label: 'Fastify+pg, same SELECT, no auth' },
          ratio: rps('products') / rps('baseline'),
          target: { op: '>=', value: 0.85, unit: '× baseline' },
          details: {
            rounds: cfg.rounds,
            connections: cfg.connections,
            seconds: cfg.duration,
            products: runs.products.map(brief),
            baseline: runs.baseline.map(brief),
            cpuPerRequest: { products: medianCpu(runs.products), baseline: medianCpu(runs.baseline) },
          },
        }),
      ),
    )
  }
  if (fig2) {
    const ratio = rps('check') / rps('ready')
    const f = figure({
      id: 2,
      name: 'API key check overhead (throughput lost)',
      value: (1 - ratio) * 100,
      unit: '%',
      baseline: { value: rps('ready'), unit: 'req/s', label: 'GET /health/ready, no auth' },
      ratio,
      target: { op: '<=', value: 15, unit: '%' },
      details: {
        checkOnlyRps: round(rps('check'), 0),
        readyRps: round(rps('ready'), 0),
        productsRps: round(rps('products'), 0),
        productsVsReady: round(rps('products') / rps('ready'), 3),
        checkShareOfProductsRequest: round((1 / rps('check') - 1 / rps('ready')) / (1 / rps('products')), 3),
        ready: runs.ready.map(brief),
        check: runs.check.map(brief),
        cpuPerRequest: { check: medianCpu(runs.check), ready: medianCpu(runs.ready) },
      },
    })
    out.push(f)
  }
  return out
}

/** Figure 1 keeps req/s as its value but is judged on the ratio. */
function judgeOnRatio(f) {
  const judged = figure({ id: f.id, name: f.name, value: f.ratio, unit: '×', target: f.target })
  return { ...f, met: judged.met, margin: judged.margin }
}
