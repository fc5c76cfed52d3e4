// Figure 12: one receiver that hangs does not slow the others. Ten webhooks get every
// order at a steady rate; the p99 from event to arrival at nine of them is measured
// twice in one run: with all ten answering at once (the baseline), and with the tenth
// holding every request until the sender's timeout.
import { setTimeout as sleep } from 'node:timers/promises'
import { paced } from '../lib/load.mjs'
import { startReceiver } from '../lib/receivers.mjs'
import { round, summary } from '../lib/stats.mjs'
import { figure } from '../lib/verdict.mjs'
import { orderRequest } from './webhooks.mjs'

/** Event → arrival at the healthy receivers for these orders, once each has them all (or `maxWait` s). */
async function arrivals(healthy, created, maxWait) {
  const ids = new Set(created)
  const deadline = Date.now() + maxWait * 1000
  for (;;) {
    const got = healthy.map((r) => r.deliveries.filter((d) => ids.has(d.id)))
    const complete = got.every((list) => new Set(list.map((d) => d.id)).size === ids.size)
    if (complete || Date.now() > deadline) return { complete, latencies: got.flat().map((d) => d.receivedAt - d.eventAt) }
    await sleep(100)
  }
}

export async function isolation(ctx, { endpoints, rate, duration, drainMax }) {
  const receivers = []
  const hooks = []
  try {
    for (let i = 0; i < endpoints; i++) {
      const r = await startReceiver(`isolation-${i + 1}`)
      receivers.push(r)
      hooks.push(await ctx.admin.call('POST', '/stores/demo/webhooks', { url: r.url, events: ['order.created'] }))
    }
    const healthy = receivers.slice(0, -1)
    const slow = receivers.at(-1)

    async function phase() {
      for (const r of receivers) r.reset()
      const created = []
      await paced({ url: ctx.A.url, rate, duration, request: orderRequest(ctx, created) })
      const { complete, latencies } = await arrivals(healthy, created, drainMax)
      return { orders: created.length, complete, lat: summary(latencies) }
    }

    const allHealthy = await phase()
    slow.hang(true)
    const oneHanging = await phase()
    const mapRound = (s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v, 2)]))
    return figure({
      id: '12',
      name: `p99 event → arrival at 9 receivers while a 10th hangs (${rate} orders/s)`,
      value: oneHanging.lat.p99,
      unit: 'ms',
      baseline: { value: allHealthy.lat.p99, unit: 'ms', label: 'same, all ten answering' },
      ratio: oneHanging.lat.p99 / allHealthy.lat.p99,
      target: { op: '<=', value: 2 * allHealthy.lat.p99, unit: 'ms' },
      details: {
        endpoints,
        rate,
        seconds: duration,
        allHealthy: { ...allHealthy, lat: mapRound(allHealthy.lat) },
        oneHanging: { ...oneHanging, lat: mapRound(oneHanging.lat) },
        hangingRequestsReceived: slow.deliveries.length,
        workerConcurrency: ctx.webhookConcurrency,
      },
      note: 'target: at most twice the all-healthy p99 of the same run',
    })
  } finally {
    for (const h of hooks) await ctx.admin.call('DELETE', `/stores/demo/webhooks/${h.id}`).catch(() => {})
    for (const r of receivers) await r.close()
  }
}
