import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { ErrorResponse } from '@deskflow/shared'

/** The error responses every admin route can give (the framework's own are added by `declareFrameworkErrors`). */
export const adminErrors = {
  401: ErrorResponse,
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
    if (schema.tags?.includes('Health')) return
    const takesBody = [route.method].flat().some((m) => BODY_METHODS.has(m))
    // A change through the session cookie without the CSRF header, or marked cross-site (csrf.ts).
    const guarded = takesBody && !route.url.startsWith('/v1/') && route.url !== '/v1'
    schema.response = {
      ...(takesBody && { 400: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse }),
      ...(guarded && { 403: ErrorResponse }),
      503: ErrorResponse,
      ...schema.response,
    }
  })
}
