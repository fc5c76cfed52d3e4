import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import { BlockedAddressError, addressProblem, resolvePublic } from './ssrf'

export const RESPONSE_BODY_LIMIT = 4096

/**
 * A receiver's bytes as text the delivery log can always store: decoded as UTF-8 with
 * invalid sequences (binary, other encodings, a character cut at the 4 KB limit) shown
 * as U+FFFD, and NUL, which PostgreSQL text and jsonb refuse, shown the same way.
 */
export function storableText(bytes: Buffer | string): string {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8')
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\ufffd') : text
}

export interface SendResult {
  ok: boolean
  statusCode: number | null
  responseHeaders: Record<string, string>
  responseBody: string
  responseTruncated: boolean
  durationMs: number
  /** What went wrong, in words a store admin understands; null on a 2xx. */
  error: string | null
  /** Seconds, from a Retry-After header on 429 or 503. */
  retryAfterSeconds: number | null
}

/** What one send produced, kept until it is recorded. */
export interface Outcome {
  deliveryId: string
  webhookId: string
  /** The attempt's number: the delivery's attempt count once it is recorded. */
  number: number
  maxAttempts: number
  at: Date
  headers: Record<string, string>
  body: string
  result: SendResult
}

export interface SenderOptions {
  allowPrivate: boolean
  timeoutMs: number
}

function describe(err: NodeJS.ErrnoException, url: URL, timeoutMs: number): string {
  const host = url.hostname
  if (err instanceof BlockedAddressError) return `Blocked: ${err.message}`
  switch (err.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return `DNS lookup failed: ${host} could not be resolved`
    case 'ECONNREFUSED':
      return `Connection refused: nothing is accepting connections at ${url.host}`
    case 'ETIMEDOUT_TOTAL':
      return `Timed out: no complete answer within ${timeoutMs / 1000} s`
    case 'ECONNRESET':
      return 'The connection was reset by the receiver'
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `Network unreachable: ${url.host} cannot be reached`
  }
  if (err.code?.startsWith('ERR_TLS') || err.code?.includes('CERT') || err.code === 'EPROTO' || /SSL|TLS|certificate/i.test(err.message)) {
    return `TLS handshake failed: ${err.message}`
  }
  return `Request failed: ${err.message}`
}

function retryAfter(value: string | undefined): number | null {
  if (!value) return null
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, (date - Date.now()) / 1000)
}

/**
 * Sends one webhook request: no redirects followed, the response body kept up to
 * 4 KB, a hard total timeout, and every resolved address checked again at connect
 * time through the agent's lookup (DNS rebinding cannot reach a private address).
 */
export function createSender(options: SenderOptions) {
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolvePublic(hostname, options.allowPrivate).then(
      (addresses) => {
        if (lookupOptions.all) return callback(null, addresses)
        const first = addresses[0]!
        callback(null, first.address, first.family)
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    )
  }
  const agentOptions = { keepAlive: true, maxSockets: 50, lookup }
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) }

  async function send(target: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const url = new URL(target)
    const started = performance.now()
    const elapsed = () => Math.round(performance.now() - started)
    const failure = (error: string, extra: Partial<SendResult> = {}): SendResult => ({
      ok: false,
      statusCode: null,
      responseHeaders: {},
      responseBody: '',
      responseTruncated: false,
      durationMs: elapsed(),
      error,
      retryAfterSeconds: null,
      ...extra,
    })
    // Node connects to IP literals without calling lookup, so they are checked here.
    const literal = url.hostname.replace(/^\[|\]$/g, '')
    if (!options.allowPrivate && /^[\d.]+$|:/.test(literal)) {
      const problem = addressProblem(literal)
      if (problem) return failure(`Blocked: ${url.hostname} is ${problem}, which webhooks may not reach`)
    }

    return new Promise<SendResult>((resolve) => {
      const transport = url.protocol === 'https:' ? https : http
      const request = transport.request(url, {
        method: 'POST',
        agent: agents[url.protocol as 'http:' | 'https:'],
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      })
      const timer = setTimeout(() => {
        const err: NodeJS.ErrnoException = new Error('timeout')
        err.code = 'ETIMEDOUT_TOTAL'
        request.destroy(err)
      }, options.timeoutMs)
      let settled = false
      const finish = (result: SendResult) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resolve(result)
      }
      request.on('error', (err: NodeJS.ErrnoException) => finish(failure(describe(err, url, options.timeoutMs))))
      request.on('response', (response) => {
        const chunks: Buffer[] = []
        let size = 0
        let truncated = false
        const responseHeaders: Record<string, string> = {}
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined) responseHeaders[storableText(name)] = storableText(Array.isArray(value) ? value.join(', ') : value)
        }
        const done = () => {
          const statusCode = response.statusCode ?? 0
          const ok = statusCode >= 200 && statusCode < 300
          let error: string | null = null
          if (!ok) {
            error =
              statusCode >= 300 && statusCode < 400
                ? `Redirect (HTTP ${statusCode}) to ${storableText(response.headers.location ?? 'an unknown place')} not followed: give the final URL`
                : `The receiver answered HTTP ${statusCode}; only 2xx counts as delivered`
          }
          finish({
            ok,
            statusCode,
            responseHeaders,
            responseBody: storableText(Buffer.concat(chunks)),
            responseTruncated: truncated,
            durationMs: elapsed(),
            error,
            retryAfterSeconds: statusCode === 429 || statusCode === 503 ? retryAfter(response.headers['retry-after']) : null,
          })
        }
        response.on('data', (chunk: Buffer) => {
          if (truncated) return
          const room = RESPONSE_BODY_LIMIT - size
          if (chunk.length > room) {
            chunks.push(chunk.subarray(0, room))
            size = RESPONSE_BODY_LIMIT
            truncated = true
            // Enough read: stop downloading the rest.
            done()
            response.destroy()
            return
          }
          chunks.push(chunk)
          size += chunk.length
        })
        response.on('end', done)
        response.on('error', () => done())
      })
      request.end(body)
    })
  }

  return {
    send,
    close() {
      agents['http:'].destroy()
      agents['https:'].destroy()
    },
  }
}

export type Sender = ReturnType<typeof createSender>
