import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ERROR_STATUS, type ErrorCode, type ErrorDetail, type ErrorResponse } from '@deskflow/shared'
import { AppError } from '../lib/errors'

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

function messageOf(issue: AjvIssue): string {
  if (issue.keyword === 'additionalProperties') return 'is not a known field'
  if (issue.keyword === 'required') return 'is required'
  if (issue.keyword === 'enum') return `must be one of: ${(issue.params.allowedValues as unknown[]).join(', ')}`
  return issue.message ?? 'is invalid'
}

export function sendError(reply: FastifyReply, code: ErrorCode, message: string, details?: ErrorDetail[]) {
  const body: ErrorResponse = { error: { code, message, requestId: String(reply.request.id), ...(details && { details }) } }
  return reply.code(ERROR_STATUS[code]).type('application/json').send(body)
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
        .map((issue) => ({ field: fieldOf(issue), message: messageOf(issue) }))
        .filter((d) => !seen.has(d.field) && seen.add(d.field))
      const message = details.map((d) => `${d.field}: ${d.message}`).join('; ')
      return sendError(reply, 'validation_failed', message, details)
    }

    const status = error.statusCode ?? 500
    if (status === 429) return sendError(reply, 'rate_limited', error.message || 'Too many requests, try again later')
    if (status === 415) return sendError(reply, 'unsupported_media_type', 'Send the body as application/json')
    if (status === 413) return sendError(reply, 'bad_request', 'The request body is too large')
    if (status >= 400 && status < 500) {
      const message = error.code?.startsWith('FST_ERR_CTP') || error instanceof SyntaxError ? 'The body is not valid JSON' : error.message
      return sendError(reply, 'bad_request', message)
    }
    request.log.error({ err: error }, 'unhandled error')
    return sendError(reply, 'internal', 'Something went wrong on our side; the error has been logged')
  })
}
