// Figure 10: the key check as the table of keys grows. The request is figure 2's check-only
// one (a valid key without read_products, answered 403 right after the check), measured with
// the api_keys table at three sizes, then at the smallest again: the machine's drift over the
// run shows as the difference between the two small measurements, and the ratio is taken
// against their mean. The extra keys belong to a store of their own and are inserted by SQL
// (one statement per size), each with its own random-looking key, as real keys are.
import { closedLoop } from '../lib/load.mjs'
import { query } from '../lib/db.mjs'
import { round } from '../lib/stats.mjs'
import { figure } from '../lib/verdict.mjs'
import { freshKeys } from './throughput.mjs'

const FILLER_STORE = 'sto_bench_key_scale'

async function keyCount(url) {
  return Number((await query(url, 'select count(*)::int as n from api_keys')).rows[0].n)
}

/** Adds filler keys until the table holds `size` rows; 'analyze' so the planner sees the new size. */
async function growTo(url, size) {
  const have = await keyCount(url)
  if (have < size) {
    await query(
      url,
      `insert into api_keys (id, store_id, description, key, secret_hash, secret_ciphertext, secret_last4, permissions)
       select 'key_scale_' || g, $1, 'key scale ' || g, 'dfk_' || md5('scale' || g), md5('hash' || g), md5('box' || g), '0000', '{read_orders}'
         from generate_series($2::int + 1, $2::int + $3::int) as g`,
      [FILLER_STORE, have, size - have],
    )
  }
  await query(url, 'analyze api_keys')
}

async function shrinkBack(url) {
  await query(url, 'delete from api_keys where store_id = $1', [FILLER_STORE])
  await query(url, 'vacuum analyze api_keys')
}

export async function keyScale(ctx, cfg) {
  const url = ctx.dbUrl
  // Each size once (the quick run may give two the same), smallest first.
  const sizes = [...new Set([cfg.small, cfg.mid, cfg.large])]
  const load = { connections: ctx.cfg.connections, duration: cfg.duration, warmup: cfg.warmup }
  const route = `${ctx.A.url}/v1/products?limit=20`
  await query(url, `insert into stores (id, key, name) values ($1, 'bench-key-scale', 'Key scale') on conflict do nothing`, [FILLER_STORE])
  const measure = async (label) => {
    // Fresh keys for each measurement, as in figures 1 and 2: never their rate limit.
    const r = await closedLoop({ ...load, url: route, authorizations: await freshKeys(ctx, ['read_orders']) })
    const codes = Object.entries(r.codes)
    if (r.errors > 0 || codes.some(([code]) => code !== '403')) throw new Error(`key scale ${label}: ${JSON.stringify(r.codes)}`)
    return { keys: await keyCount(url), rps: round(r.rps, 0), p50ms: r.latency.p50, p99ms: r.latency.p99 }
  }
  const runs = []
  try {
    if ((await keyCount(url)) > cfg.small) throw new Error(`the database already holds more than ${cfg.small} keys`)
    for (const size of sizes) {
      const started = performance.now()
      await growTo(url, size)
      const growMs = Math.round(performance.now() - started)
      runs.push({ ...(await measure(`${size} keys`)), growMs })
    }
    await shrinkBack(url)
    await growTo(url, cfg.small)
    runs.push({ ...(await measure(`${cfg.small} keys, again`)), again: true })
  } finally {
    await shrinkBack(url)
  }
  const small = (runs[0].rps + runs.at(-1).rps) / 2
  const largest = runs[sizes.length - 1]
  const large = largest.rps
  return figure({
    id: 10,
    name: `key check at ${largest.keys.toLocaleString('en')} keys vs ${runs[0].keys.toLocaleString('en')} keys`,
    value: large / small,
    unit: '×',
    baseline: { value: small, unit: 'req/s', label: `same check, ${runs[0].keys.toLocaleString('en')} keys (mean of first and last)` },
    ratio: large / small,
    target: { op: '>=', value: 0.95, unit: '×' },
    details: { runs, largeRps: large, connections: load.connections, seconds: load.duration },
  })
}
