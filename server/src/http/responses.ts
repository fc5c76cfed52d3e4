import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { ErrorResponse } from '@deskflow/shared'

/** The error responses every admin route can give (the framework's own are added by `declareFrameworkErrors`). */
export const adminErrors = {
  401: ErrorResponse,
  // A role short of the route's (a viewer's change, a non-owner's change to the team), the reveals' wrong password, and an
  // admin signed in with a one-time password (`password_change_required`).
  403: ErrorResponse,
  404: ErrorResponse,
  422: ErrorResponse,
} as const

export const NoContent = Type.Null({ description: 'No content' })

export const adminSecurity: Record<string, string[]>[] = [{ cookieAuth: [] }, { bearerAuth: [] }]

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Declares, on every documented route, the answers the framework gives before or
 * around the route's own code, so that the document lists every status the server
 * really sends: 400 (malformed JSON), 413 (body over 256 KB) and 415 (not JSON) on
 * methods whose body is parsed, whether or not the route reads one; 403 on changes
 * outside the integrator API (a cross-site request); 503 while the database is
 * unavailable; 422 for a query parameter the route does not declare (every route's
 * query is strict). Health routes describe their own answers but for that one.
 */
export function declareFrameworkErrors(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    const schema = route.schema as
      { hide?: boolean; tags?: string[]; response?: Record<string, unknown>; querystring?: Record<string, unknown> } | undefined
    if (!schema || schema.hide) return
    // Unknown query parameters are refused (422 naming them), as unknown body fields are:
    // a misspelled `limt` must not silently read a default page.
    schema.querystring = { ...(schema.querystring ?? Type.Object({})), additionalProperties: false }
    schema.response = { 422: ErrorResponse, ...schema.response }
    if (!schema.tags?.includes('Health')) {
      const takesBody = [route.method].flat().some((m) => BODY_METHODS.has(m))
      // A change through the session cookie without the CSRF header, or marked cross-site (csrf.ts).
      const guarded = takesBody && !route.url.startsWith('/v1/') && route.url !== '/v1'
      schema.response = {
        ...(takesBody && { 400: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse }),
        ...(guarded && { 403: ErrorResponse }),
        503: ErrorResponse,
        ...schema.response,
      }
    }
    const limited =
      route.url.startsWith('/v1/') || route.url === '/v1' || Boolean((route.config as { rateLimit?: unknown } | undefined)?.rateLimit)
    const integrator = route.url.startsWith('/v1/')
    const idempotent = integrator && [route.method].flat().some((m) => m === 'POST' || m === 'PATCH')
    for (const [status, response] of Object.entries(schema.response ?? {})) {
      // @fastify/swagger documents a response schema's `headers`; the serializer ignores them.
      schema.response![status] = { ...(response as object), headers: responseHeaders(Number(status), { limited, idempotent, integrator }) }
    }
  })
}

const header = (description: string, type: 'string' | 'integer' = 'string') => ({ type, description })
const HEADERS = {
  'X-Request-Id': header('This request’s id, also in the body of every error and in the server’s log line for it.'),
  'RateLimit-Limit': header(
    'Requests allowed in the window (IETF draft-ietf-httpapi-ratelimit-headers-06 fields, kept for existing clients).',
    'integer',
  ),
  'RateLimit-Remaining': header('Requests left in the current window.', 'integer'),
  'RateLimit-Reset': header('Seconds until the window resets.', 'integer'),
  'RateLimit-Policy': header(
    'The limit this answer counts against, per draft-ietf-httpapi-ratelimit-headers-09: `"key";q=600;w=60` (the API key’s requests a minute), or `"failed-auth";q=…;w=60` on a refusal of credentials (failed authentications from this address a minute).',
  ),
  RateLimit: header(
    'What is left of that limit, per the same draft: `"key";r=599;t=42` (requests remaining, seconds until the window resets).',
  ),
  'Retry-After': header('Seconds to wait before trying again.', 'integer'),
  'WWW-Authenticate': header('The authentication scheme to use: `Basic` on the integrator API, `Bearer` on the admin API.'),
  'Idempotency-Replayed': header('`true` when this answer is the stored answer of an earlier request with the same `Idempotency-Key`.'),
}

/** The headers an answer of this status can carry: every one the server may send, none it never does. */
function responseHeaders(
  status: number,
  { limited, idempotent, integrator }: { limited: boolean; idempotent: boolean; integrator: boolean },
) {
  const pick = (...names: (keyof typeof HEADERS)[]) => Object.fromEntries(names.map((n) => [n, HEADERS[n]]))
  return {
    ...pick('X-Request-Id'),
    ...(limited && pick('RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset')),
    ...(integrator && pick('RateLimit-Policy', 'RateLimit')),
    ...((status === 429 || status === 503) && pick('Retry-After')),
    ...(status === 401 && pick('WWW-Authenticate')),
    ...(idempotent && status < 300 && pick('Idempotency-Replayed')),
  }
}
