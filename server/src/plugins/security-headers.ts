import type { ServerResponse } from 'node:http'
import fp from 'fastify-plugin'
import helmet from 'helmet'

/** Where the JSON APIs live: the integrator API, the admin API, sign-in, health and the OpenAPI document. */
export const JSON_API_PREFIXES = ['/v1', '/stores', '/auth', '/health', '/openapi.json']

/** Whether `url` is `prefix` itself, or under it (followed by `/` or `?`): not `/v1x`. */
function under(url: string, prefix: string): boolean {
  if (!url.startsWith(prefix)) return false
  const next = url.charCodeAt(prefix.length)
  return Number.isNaN(next) || next === 47 || next === 63
}

export function isJsonApiPath(url: string): boolean {
  for (const prefix of JSON_API_PREFIXES) if (under(url, prefix)) return true
  return false
}

/** The API reference's page and its files. */
export const isDocsPath = (url: string): boolean => under(url, '/docs')

/**
 * The headers of a JSON answer, after OWASP's REST Security Cheat Sheet: nothing in it
 * may run, be framed, be sniffed as another type or be kept in a cache (answers carry
 * secrets: a new key's, a webhook's signing secret), and HTTPS only. The document
 * headers of a page (a script policy, cross-origin isolation, prefetch and download
 * controls) mean nothing to an API client, and every request of an integration paid for
 * them. An answer that sets its own `cache-control` (`/openapi.json`) keeps it.
 */
const JSON_API_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['cache-control', 'no-store'],
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
  ['referrer-policy', 'no-referrer'],
  ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
]

function setJsonApiHeaders(res: ServerResponse) {
  for (const [name, value] of JSON_API_HEADERS) res.setHeader(name, value)
}

/**
 * Security headers on every answer, refusals and unknown paths included: the JSON API
 * set above on the APIs' paths, helmet's document set (CSP, frame, sniffing, transport,
 * cross-origin) on the web app and the API reference. helmet's middleware is built once
 * here; the Fastify plugin for it rebuilds it (parsing the CSP again) on every request.
 */
export const securityHeaders = fp(
  async (app) => {
    const documentHeaders = helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          // The API reference (Redoc) runs its search in a worker made from a blob: URL.
          workerSrc: ["'self'", 'blob:'],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
    })
    app.addHook('onRequest', (request, reply, done) => {
      if (isJsonApiPath(request.url)) {
        setJsonApiHeaders(reply.raw)
        done()
      } else documentHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined))
    })
  },
  { name: 'security-headers' },
)
