import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ERROR_STATUS, type ErrorCode, type ErrorDetail, type ErrorResponse } from '@deskflow/shared'
import { AppError } from '../lib/errors'
import { isDatabaseUnavailable, refusalOf } from '../lib/pg-errors'

interface AjvIssue {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}

/** `/permissions/2` → `permissions.2`; a missing or unknown property names itself. */
function fieldOf(issue: AjvIssue): string {
  const base = issue.instancePath.replace(/^\//, '').replace(/\//g, '.')
  const child = (issue.params.missingProperty ?? issue.params.additionalProperty) as string | undefined
  return [base, child].filter(Boolean).join('.') || '(body)'
}

function messageOf(issue: AjvIssue, context: string | undefined): string {
  if (issue.keyword === 'additionalProperties') return context === 'querystring' ? 'is not a known query parameter' : 'is not a known field'
  if (issue.keyword === 'required') return 'is required'
  if (issue.keyword === 'enum') return `must be one of: ${(issue.params.allowedValues as unknown[]).join(', ')}`
  return issue.message ?? 'is invalid'
}

/** RFC 9110: every 401 names how to authenticate. The integrator API sets its own (Basic). */
const ADMIN_CHALLENGE = 'Bearer realm="Deskflow admin", charset="UTF-8"'

export function sendError(reply: FastifyReply, code: ErrorCode, message: string, details?: ErrorDetail[]) {
  const body: ErrorResponse = { error: { code, message, requestId: String(reply.request.id), ...(details && { details }) } }
  if (code === 'unauthorized' && !reply.hasHeader('www-authenticate')) reply.header('www-authenticate', ADMIN_CHALLENGE)
  return reply.code(ERROR_STATUS[code]).type('application/json').send(body)
}

const CLIENT_ERRORS: Record<string, { status: number; code: ErrorCode; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'bad_request', message: 'The request headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'bad_request', message: 'The request took too long to arrive' },
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (control bytes in a
 * header, a malformed request line, oversized headers): the same error shape, with a
 * request id for the report, and the connection closed.
 */
export function clientErrorHandler(newRequestId: () => string) {
  return (err: Error & { code?: string }, socket: Socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy()
      return
    }
    const known = (err.code && CLIENT_ERRORS[err.code]) || {
      status: 400,
      code: 'bad_request' as const,
      message: 'The request is malformed (bad request line or header)',
    }
    const body = JSON.stringify({ error: { code: known.code, message: known.message, requestId: newRequestId() } } satisfies ErrorResponse)
    socket.end(
      `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    )
  }
}

/** Errors Fastify raises before routing (a bad or overlong URL): the same shape as all others. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const isLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
  const body: ErrorResponse = {
    error: {
      code: isLong ? 'not_found' : 'bad_request',
      message: isLong ? 'Not found' : 'The URL is malformed',
      requestId: String(request.id),
    },
  }
  void reply
    .code(isLong ? 404 : 400)
    .type('application/json')
    .send(body)
}

export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      if (error.headers) reply.headers(error.headers)
      return sendError(reply, error.code, error.message, error.details)
    }

    if (error.validation) {
      // A malformed id or store key is, to the caller, simply something that does not exist.
      if (error.validationContext === 'params') return sendError(reply, 'not_found', 'Not found')
      const seen = new Set<string>()
      const details = (error.validation as AjvIssue[])
        .map((issue) => ({ field: fieldOf(issue), message: messageOf(issue, error.validationContext) }))
        .filter((d) => !seen.has(d.field) && seen.add(d.field))
      const message = details.map((d) => `${d.field}: ${d.message}`).join('; ')
      return sendError(reply, 'validation_failed', message, details)
    }

    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable')
      reply.header('retry-after', '1')
      return sendError(reply, 'service_unavailable', 'The database is unavailable for a moment; try again shortly')
    }
    const refusal = refusalOf(error)
    if (refusal) {
      request.log.warn({ err: error }, 'the database refused the input')
      return sendError(reply, refusal.code, refusal.message, refusal.details)
    }
    const status = error.statusCode ?? 500
    if (status === 429) return sendError(reply, 'rate_limited', error.message || 'Too many requests, try again later')
    if (status === 415) return sendError(reply, 'unsupported_media_type', 'Send the body as application/json')
    if (status === 413) return sendError(reply, 'payload_too_large', 'The request body is too large (256 KB at most)')
    if (status >= 400 && status < 500) {
      const message =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH' || error.code === 'FST_ERR_BAD_URL'
          ? 'The URL is malformed or too long'
          : error.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH'
            ? 'Content-Length does not match the body'
            : error.code?.startsWith('FST_ERR_CTP')
              ? 'The body could not be read'
              : error.message
      return sendError(reply, 'bad_request', message)
    }
    request.log.error({ err: error }, 'unhandled error')
    return sendError(reply, 'internal', 'Something went wrong on our side; the error has been logged')
  })
}
