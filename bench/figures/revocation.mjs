// Figure 3: one key under 200 req/s on instance A and 200 req/s on instance B (ROLE=api,
// same database), then DELETE the key through A's admin API. Counts the requests
// accepted (2xx) that were sent after the DELETE had answered, per instance, and on B
// the time from the DELETE answer to B's first 401.
import { paced } from '../lib/load.mjs'
import { startServer } from '../lib/procs.mjs'
import { round } from '../lib/stats.mjs'
import { figure } from '../lib/verdict.mjs'

export async function revocation(ctx, { rate, before, after }) {
  const B = await startServer({ name: 'instance-b', env: { ...ctx.sharedEnv(), ROLE: 'api', LOG_LEVEL: ctx.logLevel } })
  try {
    const key = await ctx.admin.createKey('bench revocation', ['read_products'])
    const request = { method: 'GET', path: '/v1/products?limit=20', headers: { authorization: key.authorization } }
    let deleteSentAt = null
    let deleteAnsweredAt = null
    const seconds = before + after
    const del = (async () => {
      await new Promise((r) => setTimeout(r, before * 1000))
      deleteSentAt = performance.now()
      await ctx.admin.call('DELETE', `/stores/demo/api-keys/${key.id}`)
      deleteAnsweredAt = performance.now()
    })()
    const [a, b] = await Promise.all([
      paced({ url: ctx.A.url, rate, duration: seconds, request }),
      paced({ url: B.url, rate, duration: seconds, request }),
      del,
    ])
    const analyse = (samples) => {
      const afterAnswer = samples.filter((s) => s.sentAt > deleteAnsweredAt)
      const beforeDelete = samples.filter((s) => s.at < deleteSentAt)
      const first401 = samples.filter((s) => s.status === 401).reduce((m, s) => Math.min(m, s.at), Infinity)
      const lastAccepted = samples.filter((s) => s.status >= 200 && s.status < 300).reduce((m, s) => Math.max(m, s.sentAt), -Infinity)
      return {
        requests: samples.length,
        okBeforeDelete: beforeDelete.filter((s) => s.status === 200).length,
        sentAfterAnswer: afterAnswer.length,
        acceptedAfterAnswer: afterAnswer.filter((s) => s.status >= 200 && s.status < 300).length,
        refusedAfterAnswer: afterAnswer.filter((s) => s.status === 401).length,
        otherAfterAnswer: afterAnswer.filter((s) => s.status !== 401 && !(s.status >= 200 && s.status < 300)).length,
        firstRefusalMsAfterAnswer: round(first401 - deleteAnsweredAt, 2),
        lastAcceptedSentMsAfterAnswer: round(lastAccepted - deleteAnsweredAt, 2),
      }
    }
    const ra = analyse(a.samples)
    const rb = analyse(b.samples)
    for (const [name, r] of [
      ['A', ra],
      ['B', rb],
    ]) {
      if (r.okBeforeDelete === 0 || r.sentAfterAnswer === 0)
        throw new Error(`revocation on ${name}: no load around the DELETE (${JSON.stringify(r)})`)
    }
    const common = {
      ratePerInstance: rate,
      secondsBefore: before,
      secondsAfter: after,
      deleteMs: round(deleteAnsweredAt - deleteSentAt, 2),
      A: ra,
      B: rb,
    }
    return [
      figure({
        id: '3a',
        name: 'revocation: 2xx sent after DELETE answered, instance A',
        value: ra.acceptedAfterAnswer,
        unit: 'requests',
        target: { op: '==', value: 0, unit: 'requests' },
        details: common,
      }),
      figure({
        id: '3b',
        name: 'revocation: DELETE answer → first 401, instance B',
        // ≤ 0: B refused the key before the DELETE's answer reached the client.
        value: Math.max(0, rb.firstRefusalMsAfterAnswer),
        unit: 'ms',
        target: { op: '<=', value: 50, unit: 'ms' },
        details: { rawMs: rb.firstRefusalMsAfterAnswer, acceptedAfterAnswerOnB: rb.acceptedAfterAnswer },
      }),
    ]
  } finally {
    await B.stop()
  }
}
