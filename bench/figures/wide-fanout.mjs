// Figure 11: one event to many webhooks of one store. The store gets webhooks on
// `order.created` in three steps (e.g. 10, then 100, then 1,000 in all), all pointing at one
// local receiver; after each step one order is created and the bench waits until every
// webhook's delivery of it has arrived (at most `maxWait` s). Measured: from the event's
// timestamp to the first and to the last arrival, and the deliveries that never arrived.
// The webhooks are deleted at the end, so that the figures after this one fan out as before.
import { setTimeout as sleep } from 'node:timers/promises'
import { integrator, pool } from '../lib/admin.mjs'
import { startReceiver } from '../lib/receivers.mjs'
import { round } from '../lib/stats.mjs'
import { figure } from '../lib/verdict.mjs'

async function arrivalsOf(receiver, orderId, expected, maxWait) {
  const deadline = Date.now() + maxWait * 1000
  for (;;) {
    const got = receiver.deliveries.filter((d) => d.id === orderId)
    if (new Set(got.map((d) => d.messageId)).size >= expected || Date.now() > deadline) return got
    await sleep(50)
  }
}

export async function wideFanout(ctx, { small, mid, large, maxWait }) {
  const receiver = await startReceiver('wide-fanout')
  const hooks = []
  const steps = []
  try {
    for (const size of [small, mid, large]) {
      const more = Array.from({ length: size - hooks.length }, (_, i) => hooks.length + i)
      hooks.push(
        ...(await pool(more, 8, (i) =>
          ctx.admin.call('POST', '/stores/demo/webhooks', { url: `${receiver.url}/${i}`, events: ['order.created'] }),
        )),
      )
      receiver.reset()
      const productId = ctx.productIds[steps.length % ctx.productIds.length]
      const order = await integrator(ctx.A.url, ctx.keys.orders.authorization, 'POST', '/v1/orders', {
        lineItems: [{ productId, quantity: 1 }],
      })
      const got = await arrivalsOf(receiver, order.id, hooks.length, maxWait)
      const distinct = new Set(got.map((d) => d.messageId)).size
      const eventAt = got[0]?.eventAt ?? NaN
      const arrivals = got.map((d) => d.receivedAt - eventAt).sort((a, b) => a - b)
      steps.push({
        webhooks: hooks.length,
        delivered: distinct,
        lost: hooks.length - distinct,
        duplicates: got.length - distinct,
        firstMs: round(arrivals[0] ?? NaN, 1),
        lastMs: round(arrivals.at(-1) ?? NaN, 1),
      })
    }
  } finally {
    await pool(hooks, 8, (h) => ctx.admin.call('DELETE', `/stores/demo/webhooks/${h.id}`).catch(() => {}))
    await receiver.close()
  }
  const last = steps.at(-1)
  const lost = steps.reduce((n, s) => n + s.lost, 0)
  return [
    figure({
      id: '11a',
      name: `one event to ${last.webhooks} webhooks: event → last delivery`,
      value: last.lastMs / 1000,
      unit: 's',
      target: { op: '<=', value: 3, unit: 's' },
      details: { steps, workerConcurrency: ctx.webhookConcurrency },
    }),
    figure({
      id: '11b',
      name: `one event to ${steps.map((s) => s.webhooks).join(', ')} webhooks: deliveries lost`,
      value: lost,
      unit: 'deliveries',
      target: { op: '==', value: 0, unit: 'deliveries' },
      details: { steps },
    }),
  ]
}
