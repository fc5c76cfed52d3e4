// Figure 6: GET /stores/demo/api-keys (the Settings → API page) with 1,000 keys in the
// store, one admin at a time (1 connection, closed loop): latency p99.
import { pool } from '../lib/admin.mjs'
import { closedLoop } from '../lib/load.mjs'
import { round } from '../lib/stats.mjs'
import { figure } from '../lib/verdict.mjs'

export async function adminList(ctx, { keys, duration, warmup }) {
  const existing = (await ctx.admin.call('GET', '/stores/demo/api-keys')).data.length
  const missing = Math.max(0, keys - existing)
  const started = performance.now()
  await pool(
    Array.from({ length: missing }, (_, i) => i),
    8,
    (i) =>
      ctx.admin.call('POST', '/stores/demo/api-keys', {
        description: `bench list key ${i}`,
        permissions: ['read_products', 'read_orders'],
      }),
  )
  const createMs = performance.now() - started
  const res = await fetch(`${ctx.A.url}/stores/demo/api-keys`, { headers: { authorization: `Bearer ${ctx.admin.token}` } })
  const body = await res.text()
  const count = JSON.parse(body).data.length
  if (count < keys) throw new Error(`expected at least ${keys} keys in the list, got ${count}`)
  const r = await closedLoop({
    url: `${ctx.A.url}/stores/demo/api-keys`,
    connections: 1,
    duration,
    warmup,
    headers: { authorization: `Bearer ${ctx.admin.token}` },
  })
  if ((r.codes['200'] ?? 0) !== r.total) throw new Error(`admin list: unexpected answers ${JSON.stringify(r.codes)}`)
  return figure({
    id: 6,
    name: `admin keys list, ${count} keys, p99`,
    value: r.latency.p99,
    unit: 'ms',
    target: { op: '<=', value: 50, unit: 'ms' },
    details: {
      keysInList: count,
      responseKB: round(Buffer.byteLength(body) / 1024),
      p50ms: r.latency.p50,
      meanMs: round(r.latency.mean, 2),
      maxMs: r.latency.max,
      requests: r.total,
      connections: 1,
      createdKeys: missing,
      createKeysMs: round(createMs, 0),
      createKeyMsEach: missing ? round(createMs / missing, 2) : null,
    },
  })
}
