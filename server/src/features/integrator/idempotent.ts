import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../lib/errors'
import type { IdempotentWrite } from '../idempotency/record'
import type { Idempotency } from '../idempotency/service'

/** The header integrator writes accept, as the routes' schemas declare it. */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description:
        'Any unique text (a UUID is a good choice), up to 255 characters. A retry with the same key and the same body within 24 hours gets the first answer again, byte for byte, with `Idempotency-Replayed: true`, and changes nothing; the same key with another body is a 422, and while the first request still runs, a 409.',
    }),
  ),
})

/** JSON with its object keys sorted: the same body gives the same text whatever the order it was sent in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  const object = value as Record<string, unknown>
  return `{${Object.keys(object)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(object[k])}`)
    .join(',')}}`
}

/** What makes two requests the same: the method, the path and the body (keys in any order). */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonical(body)}`)
    .digest('hex')
}

/**
 * Runs a write of an integrator route under its `Idempotency-Key`, if it has one: the
 * first request claims the key and its write stores its answer; a retry gets that answer
 * again. Without the header the write simply runs.
 */
export function createIdempotentWrites(idempotency: Idempotency) {
  return async function idempotent<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    write: (idempotent: IdempotentWrite | undefined) => Promise<T>,
  ): Promise<T | string> {
    const key = request.headers['idempotency-key']
    if (typeof key !== 'string') return write(undefined)
    const { apiKeyId } = request.apiKey
    const claim = await idempotency.claim(apiKeyId, key, requestHash(request.method, request.url.split('?')[0]!, request.body))
    if (claim.kind === 'mismatch') {
      throw AppError.invalidField('Idempotency-Key', 'was used for another request (method, path or body) in the last 24 hours')
    }
    if (claim.kind === 'running') {
      throw new AppError('conflict', 'A request with this Idempotency-Key is still running; retry it in a moment')
    }
    if (claim.kind === 'replay') {
      reply.code(claim.status).header('idempotency-replayed', 'true').type('application/json; charset=utf-8')
      return claim.body
    }
    try {
      // The bytes this route's serializer makes of the result: what the first answer sends.
      return await write({ apiKeyId, key, status: reply.statusCode, respond: (result) => reply.serialize(result) as string })
    } catch (err) {
      await idempotency.release(apiKeyId, key)
      throw err
    }
  }
}

export type IdempotentWrites = ReturnType<typeof createIdempotentWrites>
