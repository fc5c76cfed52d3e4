// Figure 9: the cost of an integrator write. POST /v1/customers with a valid key (each
// request a new email), against the baseline server's POST /v1/customers: the same insert
// and the event's row in one transaction, the same answer, no auth. Interleaved rounds, as
// figures 1 and 2. No webhook listens to customer.created, so neither side sends anything.
import { randomBytes } from 'node:crypto'
import { withCpu } from '../lib/cpu.mjs'
import { closedLoop } from '../lib/load.mjs'
import { median, round } from '../lib/stats.mjs'
import { figure } from '../lib/verdict.mjs'
import { freshKeys, medianCpu, startBaseline } from './throughput.mjs'

const brief = (r) => ({ rps: round(r.rps, 0), p50ms: r.latency.p50, p99ms: r.latency.p99, codes: r.codes, cpuPerRequest: r.cpuPerRequest })

export async function writes(ctx) {
  const { A, cfg } = ctx
  const load = { connections: cfg.connections, duration: cfg.duration, warmup: cfg.warmup, method: 'POST' }
  const run = randomBytes(4).toString('hex')
  const bodiesFor = (side) => (n) =>
    JSON.stringify({ email: `${side}-${run}-${n}@example.com`, firstName: 'Bench', lastName: `Customer ${n}` })
  const headers = { 'content-type': 'application/json' }
  const baseline = await startBaseline({ DATABASE_URL: ctx.dbUrl, STORE_ID: ctx.storeId })
  const runs = { product: [], baseline: [] }
  try {
    for (let round_ = 0; round_ < cfg.rounds; round_++) {
      const b = await withCpu(baseline.child.pid, () =>
        closedLoop({ ...load, headers, url: `${baseline.url}/v1/customers`, bodies: bodiesFor(`base${round_}`) }),
      )
      if (b.errors > 0 || Object.keys(b.codes).some((c) => c !== '201'))
        throw new Error(`baseline POST /v1/customers: ${JSON.stringify(b.codes)}`)
      runs.baseline.push(b)
      const authorizations = await freshKeys(ctx, ['write_customers'])
      const p = await withCpu(A.pid, () =>
        closedLoop({ ...load, headers, url: `${A.url}/v1/customers`, bodies: bodiesFor(`prod${round_}`), authorizations }),
      )
      if (p.errors > 0 || Object.keys(p.codes).some((c) => c !== '201')) throw new Error(`POST /v1/customers: ${JSON.stringify(p.codes)}`)
      runs.product.push(p)
    }
  } finally {
    await baseline.stop()
  }
  const rps = (k) => median(runs[k].map((r) => r.rps))
  return figure({
    id: 9,
    name: 'POST /v1/customers, authenticated',
    value: rps('product') / rps('baseline'),
    unit: '×',
    baseline: { value: rps('baseline'), unit: 'req/s', label: 'Fastify+pg, same insert + event row in one transaction, no auth' },
    ratio: rps('product') / rps('baseline'),
    target: { op: '>=', value: 0.75, unit: '× baseline' },
    details: {
      productRps: round(rps('product'), 0),
      rounds: cfg.rounds,
      product: runs.product.map(brief),
      baseline: runs.baseline.map(brief),
      cpuPerRequest: { product: medianCpu(runs.product), baseline: medianCpu(runs.baseline) },
    },
  })
}
