// autocannon, driven programmatically. Two shapes of load:
//  - closedLoop: N connections as fast as the server answers (throughput figures);
//  - paced: a steady arrival rate. autocannon's own rate limit lets each connection
//    send its quota for the second as a burst at the top of the second, so the
//    harness runs K single-connection autocannon instances started 1000/K ms apart:
//    the arrivals are even, and every response is recorded with its send time
//    (autocannon's latency is measured from the write, so sentAt = now - latency).
import autocannon from 'autocannon'
import { setTimeout as sleep } from 'node:timers/promises'

function codesOf(result) {
  const codes = {}
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) codes[code] = count
  return codes
}

/**
 * `authorizations`: Authorization header values used in turn, one per request, so that
 * no single key's rate limit (at most 100,000 a minute) is what stops a fast run.
 * `bodies(n)`: the body of the n-th request, for writes that must differ (unique fields).
 */
export async function closedLoop({ url, connections = 20, duration, warmup = 0, headers, method = 'GET', body, bodies, authorizations }) {
  let turn = 0
  let made = 0
  const perRequest = (req) => ({
    ...req,
    ...(bodies && { body: bodies(made++) }),
    ...(authorizations?.length && { headers: { ...req.headers, authorization: authorizations[turn++ % authorizations.length] } }),
  })
  // Keys alone are taken in turn from requests autocannon builds once (each connection
  // cycles through them): a request rebuilt for every send would cost the load generator,
  // which shares the machine's two cores with the server, more than a fixed one costs the
  // baseline. Bodies that must differ are built per request.
  const rotate = bodies
    ? [{ setupRequest: perRequest }]
    : authorizations?.length
      ? authorizations.map((authorization) => ({ headers: { ...headers, authorization } }))
      : undefined
  const opts = { url, connections, headers, method, body, timeout: 10, ...(rotate && { requests: rotate }) }
  if (warmup > 0) await autocannon({ ...opts, duration: warmup })
  const r = await autocannon({ ...opts, duration })
  return {
    rps: r.requests.total / r.duration,
    total: r.requests.total,
    seconds: r.duration,
    latency: { p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.average, max: r.latency.max },
    codes: codesOf(r),
    errors: r.errors,
    timeouts: r.timeouts,
    connections,
  }
}

function divisorAtMost(n, max) {
  for (let k = Math.min(n, max); k > 1; k--) if (n % k === 0) return k
  return 1
}

/**
 * A steady `rate` requests/s for `duration` s. `request` is one autocannon request
 * description (method, path, headers, body, setupRequest, onResponse). Resolves with
 * every response: { sentAt, at, status, ms } in performance.now() milliseconds.
 */
export async function paced({ url, rate, duration, request, headers, maxInstances = 50, onStart }) {
  const k = divisorAtMost(rate, maxInstances)
  const samples = []
  let errors = 0
  let timeouts = 0
  const runs = []
  const started = performance.now()
  onStart?.(started)
  for (let i = 0; i < k; i++) {
    const due = started + (i * 1000) / k
    const wait = due - performance.now()
    if (wait > 1) await sleep(wait)
    const instance = autocannon({
      url,
      connections: 1,
      overallRate: rate / k,
      duration,
      headers,
      timeout: 10,
      requests: [request],
    })
    instance.on('response', (_client, status, _bytes, ms) => {
      const at = performance.now()
      samples.push({ sentAt: at - ms, at, status, ms })
    })
    runs.push(
      instance.then((r) => {
        errors += r.errors
        timeouts += r.timeouts
      }),
    )
  }
  await Promise.all(runs)
  return { samples, errors, timeouts, instances: k, started }
}

export function countCodes(samples) {
  const codes = {}
  for (const s of samples) codes[s.status] = (codes[s.status] ?? 0) + 1
  return codes
}
