// Figure 6: the first page of GET /stores/demo/api-keys (the Settings → API page: newest
// 50 keys) with the store holding three numbers of keys, one admin at a time (1 connection,
// closed loop): latency p99 and the page's size. The figure is the middle size (10,000 keys
// in a full run); the small and large sizes show how the cost grows. The extra keys are
// inserted by SQL into the store (one statement per size), each with its own key and
// creation time, and removed afterwards. A search over the largest size is measured too.
import { closedLoop } from '../lib/load.mjs'
import { query } from '../lib/db.mjs'
import { round } from '../lib/stats.mjs'
import { figure } from '../lib/verdict.mjs'

const FILLER = 'key_list_'

async function keysOf(url, storeId) {
  return Number((await query(url, 'select count(*)::int as n from api_keys where store_id = $1', [storeId])).rows[0].n)
}

/** Adds filler keys to the store until it holds `size`; 'analyze' so the planner sees the new size. */
async function growTo(url, storeId, size) {
  const have = await keysOf(url, storeId)
  if (have < size) {
    await query(
      url,
      `insert into api_keys (id, store_id, description, key, secret_hash, secret_ciphertext, secret_last4, permissions, created_at, updated_at)
       select '${FILLER}' || g, $1, 'bench list key ' || g, 'dfk_' || md5('list' || g), md5('hash' || g), md5('box' || g), '0000',
              '{read_products,read_orders}', now() - g * interval '1 second', now() - g * interval '1 second'
         from generate_series($2::int + 1, $2::int + $3::int) as g`,
      [storeId, have, size - have],
    )
  }
  await query(url, 'analyze api_keys')
}

export async function adminList(ctx, { small, mid, large, duration, warmup }) {
  const url = ctx.dbUrl
  const headers = { authorization: `Bearer ${ctx.admin.token}` }
  const list = `${ctx.A.url}/stores/demo/api-keys`
  const measure = async (target) => {
    const res = await fetch(target, { headers })
    const body = await res.text()
    if (res.status !== 200) throw new Error(`admin list: ${res.status} ${body.slice(0, 200)}`)
    const page = JSON.parse(body)
    const r = await closedLoop({ url: target, connections: 1, duration, warmup, headers })
    if ((r.codes['200'] ?? 0) !== r.total) throw new Error(`admin list: unexpected answers ${JSON.stringify(r.codes)}`)
    return {
      keys: await keysOf(url, ctx.storeId),
      pageKeys: page.data.length,
      pageKB: round(Buffer.byteLength(body) / 1024),
      p50ms: r.latency.p50,
      p99ms: r.latency.p99,
      requests: r.total,
    }
  }
  const runs = []
  let search
  try {
    // --quick measures one size (all three equal): it only proves the figure still runs.
    for (const size of [...new Set([small, mid, large])]) {
      const started = performance.now()
      await growTo(url, ctx.storeId, size)
      const growMs = Math.round(performance.now() - started)
      runs.push({ ...(await measure(list)), growMs })
    }
    // A description that only one key has, found among all of them.
    search = await measure(`${list}?search=${encodeURIComponent(`bench list key ${Math.floor(large / 2)}`)}`)
  } finally {
    await query(url, `delete from api_keys where store_id = $1 and id like '${FILLER}%'`, [ctx.storeId])
    await query(url, 'vacuum analyze api_keys')
  }
  const middle = runs.find((r) => r.keys >= mid) ?? runs.at(-1)
  if (middle.pageKeys !== 50) throw new Error(`admin list: the first page holds ${middle.pageKeys} keys, not 50`)
  return figure({
    id: 6,
    name: `admin keys list, first page (50) of ${middle.keys.toLocaleString('en')} keys, p99 (${middle.pageKB} KB)`,
    value: middle.p99ms,
    unit: 'ms',
    target: { op: '<=', value: 30, unit: 'ms' },
    details: {
      pageKB: middle.pageKB,
      pageKBTarget: 40,
      pageWithinSize: middle.pageKB <= 40,
      runs,
      search,
      connections: 1,
      seconds: duration,
    },
  })
}
