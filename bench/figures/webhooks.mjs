// Figures 4 and 5: orders created through the integrator API at a steady rate, their
// order.created webhooks received by local receivers.
//  4. One webhook at 100 orders/s: event time (the `timestamp` of the event, taken in
//     the order's transaction) → arrival at the receiver, p50/p99; baseline: a bare
//     HTTP POST round trip from the bench to the same receiver at the same rate.
//  5. Ten webhooks (ten receivers), sustained: deliveries per second, and that every
//     created order reaches all ten receivers (none lost).
import { setTimeout as sleep } from 'node:timers/promises'
import { countCodes, paced } from '../lib/load.mjs'
import { startReceiver } from '../lib/receivers.mjs'
import { query } from '../lib/db.mjs'
import { round, summary } from '../lib/stats.mjs'
import { figure } from '../lib/verdict.mjs'

const wall = (perfMs) => performance.timeOrigin + perfMs

export function orderRequest(ctx, created) {
  let n = 0
  return {
    method: 'POST',
    path: '/v1/orders',
    headers: { authorization: ctx.keys.orders.authorization, 'content-type': 'application/json' },
    setupRequest: (req) => {
      const productId = ctx.productIds[n++ % ctx.productIds.length]
      return { ...req, body: JSON.stringify({ lineItems: [{ productId, quantity: 1 }] }) }
    },
    onResponse: (status, body) => {
      if (status === 201) created.push(JSON.parse(body).id)
    },
  }
}

/** Waits until every receiver has every created order, or nothing new came for `idle` s, or `max` s. */
async function drain(receivers, created, { idle, max }) {
  const ids = new Set(created)
  const seen = receivers.map(() => new Set())
  const scanned = receivers.map(() => 0)
  const started = Date.now()
  let last = -1
  let lastChange = Date.now()
  for (;;) {
    let got = 0
    receivers.forEach((r, i) => {
      for (; scanned[i] < r.deliveries.length; scanned[i]++) {
        const d = r.deliveries[scanned[i]]
        if (ids.has(d.id)) seen[i].add(d.id)
      }
      got += seen[i].size
    })
    if (got >= ids.size * receivers.length) return { complete: true, waitedMs: Date.now() - started }
    if (got !== last) {
      last = got
      lastChange = Date.now()
    }
    if (Date.now() - lastChange > idle * 1000 || Date.now() - started > max * 1000)
      return { complete: false, waitedMs: Date.now() - started }
    await sleep(100)
  }
}

function checkOrders(name, run, created) {
  const codes = countCodes(run.samples)
  const bad = run.samples.length - (codes['201'] ?? 0)
  if (created.length === 0 || bad > run.samples.length * 0.01 || run.errors > 0) {
    throw new Error(`${name}: orders failed: ${JSON.stringify(codes)}, errors ${run.errors}, timeouts ${run.timeouts}`)
  }
  return codes
}

export async function webhookLatency(ctx, { rate, duration, baselineDuration, drainIdle, drainMax }) {
  const receiver = await startReceiver('latency')
  const hook = await ctx.admin.call('POST', '/stores/demo/webhooks', { url: receiver.url, events: ['order.created'] })
  try {
    // Baseline: a bare POST round trip to the same receiver, same rate, a body of a webhook's size.
    const sampleBody = JSON.stringify({
      type: 'order.created',
      timestamp: new Date().toISOString(),
      data: { id: 'ord_x', note: 'x'.repeat(600) },
    })
    const bare = await paced({
      url: receiver.url,
      rate,
      duration: baselineDuration,
      request: { method: 'POST', path: new URL(receiver.url).pathname, headers: { 'content-type': 'application/json' }, body: sampleBody },
    })
    const bareLat = summary(bare.samples.filter((s) => s.status === 204).map((s) => s.ms))
    if (bareLat.n === 0) throw new Error('bare POST baseline: no answers from the receiver')

    receiver.reset()
    const created = []
    const run = await paced({ url: ctx.A.url, rate, duration, request: orderRequest(ctx, created) })
    const codes = checkOrders('webhook latency', run, created)
    const drained = await drain([receiver], created, { idle: drainIdle, max: drainMax })
    const ids = new Set(created)
    const mine = receiver.deliveries.filter((d) => d.type === 'order.created' && ids.has(d.id))
    const lat = summary(mine.map((d) => d.receivedAt - d.eventAt))
    const orderLat = summary(run.samples.map((s) => s.ms))
    const details = {
      rate,
      seconds: duration,
      orders: created.length,
      received: mine.length,
      complete: drained.complete,
      latencyMs: mapRound(lat),
      bareRoundTripMs: mapRound(bareLat),
      orderPostLatencyMs: mapRound(orderLat),
      orderCodes: codes,
    }
    const baselineLabel = 'bare POST round trip to the receiver'
    return [
      figure({
        id: '4a',
        name: `order → webhook received, p50 (${rate} orders/s)`,
        value: lat.p50,
        unit: 'ms',
        baseline: { value: bareLat.p50, unit: 'ms', label: baselineLabel },
        ratio: lat.p50 / bareLat.p50,
        target: { op: '<=', value: 25, unit: 'ms' },
        details,
      }),
      figure({
        id: '4b',
        name: `order → webhook received, p99 (${rate} orders/s)`,
        value: lat.p99,
        unit: 'ms',
        baseline: { value: bareLat.p99, unit: 'ms', label: baselineLabel },
        ratio: lat.p99 / bareLat.p99,
        target: { op: '<=', value: 150, unit: 'ms' },
      }),
    ]
  } finally {
    await ctx.admin.call('DELETE', `/stores/demo/webhooks/${hook.id}`)
    await receiver.close()
  }
}

export async function webhookThroughput(ctx, { endpoints, rate, duration, drainIdle, drainMax }) {
  const receivers = []
  const hooks = []
  try {
    for (let i = 0; i < endpoints; i++) {
      const r = await startReceiver(`fanout-${i + 1}`)
      receivers.push(r)
      hooks.push(await ctx.admin.call('POST', '/stores/demo/webhooks', { url: r.url, events: ['order.created'] }))
    }
    const created = []
    let loadStart = 0
    const run = await paced({ url: ctx.A.url, rate, duration, request: orderRequest(ctx, created), onStart: (t) => (loadStart = wall(t)) })
    const loadEnd = loadStart + duration * 1000
    const codes = checkOrders('webhook throughput', run, created)
    const drained = await drain(receivers, created, { idle: drainIdle, max: drainMax })

    const ids = new Set(created)
    let delivered = 0
    let duplicates = 0
    let missing = 0
    let inWindow = 0
    let lastAt = 0
    const perSecond = new Array(Math.ceil(duration) + 1).fill(0)
    const lat = []
    const seenBy = []
    for (const r of receivers) {
      const seen = new Set()
      seenBy.push(seen)
      for (const d of r.deliveries) {
        if (!ids.has(d.id)) continue
        if (seen.has(d.id)) {
          duplicates++
          continue
        }
        seen.add(d.id)
        delivered++
        lat.push(d.receivedAt - d.eventAt)
        lastAt = Math.max(lastAt, d.receivedAt)
        if (d.receivedAt <= loadEnd) {
          inWindow++
          perSecond[Math.floor((d.receivedAt - loadStart) / 1000)]++
        }
      }
      missing += created.length - seen.size
    }
    // What happened to the ones that did not arrive: still queued, or failed?
    const missingIds = created.filter((id) => seenBy.some((seen) => !seen.has(id)))
    const statuses = {}
    if (missingIds.length > 0) {
      const { rows } = await query(
        ctx.dbUrl,
        `select status, count(*)::int as n from webhook_deliveries
         where webhook_id = any($1::text[]) and payload->'data'->>'id' = any($2::text[]) group by status`,
        [hooks.map((h) => h.id), missingIds],
      )
      for (const row of rows) statuses[row.status] = row.n
    }
    const pending = statuses.pending ?? 0
    const lost = missing - Math.min(missing, pending)
    const expected = created.length * endpoints
    const rateInWindow = inWindow / duration
    const details = {
      endpoints,
      offeredOrdersPerSecond: rate,
      offeredDeliveriesPerSecond: rate * endpoints,
      seconds: duration,
      orders: created.length,
      expectedDeliveries: expected,
      delivered,
      duplicates,
      missingAtEnd: missing,
      stillQueued: pending,
      statusesOfMissing: statuses,
      achievedOrdersPerSecond: round(created.length / duration, 1),
      orderLatencyMs: mapRound(summary(run.samples.map((x) => x.ms))),
      drainedAfterLoadMs: round(Math.max(0, lastAt - loadEnd), 0),
      drainComplete: drained.complete,
      overallRate: round(delivered / ((lastAt - loadStart) / 1000), 0),
      perSecondInWindow: perSecond.slice(0, Math.ceil(duration)),
      eventToReceiptMs: mapRound(summary(lat)),
      orderCodes: codes,
      workerConcurrency: ctx.webhookConcurrency,
    }
    return [
      figure({
        id: '5a',
        name: `webhook deliveries/s, ${endpoints} endpoints, ${duration} s`,
        value: rateInWindow,
        unit: 'deliveries/s',
        baseline: { value: rate * endpoints, unit: '/s', label: 'offered' },
        ratio: rateInWindow / (rate * endpoints),
        target: { op: '>=', value: 1000, unit: '/s' },
        details,
        note: 'deliveries that arrived within the load window, divided by its length',
      }),
      figure({
        id: '5b',
        name: 'webhook deliveries lost (not delivered, not queued)',
        value: lost,
        unit: 'deliveries',
        target: { op: '==', value: 0, unit: 'deliveries' },
        details: { expected, delivered, missingAtEnd: missing, stillQueued: pending },
      }),
    ]
  } finally {
    for (const h of hooks) await ctx.admin.call('DELETE', `/stores/demo/webhooks/${h.id}`).catch(() => {})
    for (const r of receivers) await r.close()
  }
}

function mapRound(s) {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v, 2)]))
}
