import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Permission } from '@deskflow/shared'
import { AppError } from '../../lib/errors'
import { ipAllowed } from '../../lib/ip-allowlist'
import type { VerifiedApiKey, VerifyApiKey } from '../api-keys/verify'
import type { UsageRecorder } from '../usage/recorder'

declare module 'fastify' {
  interface FastifyRequest {
    apiKey: VerifiedApiKey
    /** The key a request is counted against, also when its credentials were refused. */
    usageKey?: { apiKeyId: string; storeId: string; authenticated: boolean }
  }
}

const CHALLENGE = { 'www-authenticate': 'Basic realm="Deskflow API", charset="UTF-8"' }

const missing = () =>
  new AppError(
    'unauthorized',
    'Authenticate with HTTP Basic: your API key as the user name and your API secret as the password (curl -u dfk_…:dfs_…)',
    undefined,
    CHALLENGE,
  )

// One message for a wrong secret, a deactivated, deleted, expired or regenerated key.
const invalid = () => new AppError('unauthorized', 'Invalid API key or secret', undefined, CHALLENGE)

export function parseBasic(header: string | undefined): { user: string; pass: string } | null {
  if (!header) return null
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)
  if (!match) return null
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0) return null
  return { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) }
}

/** A counter of @fastify/rate-limit (`createRateLimit`): counts, or only reads with `increment: false`. */
type Limiter = (
  request: FastifyRequest,
  options?: { increment?: boolean },
) => Promise<{ isAllowed: boolean; remaining?: number; isExceeded?: boolean; ttlInSeconds?: number }>

/**
 * Failed authentications, counted per address and per API key. An address that has used
 * up its failures is refused before any check, whatever it sends. A key that has is
 * still checked: the right secret works, wrong ones get 429. So strangers guessing from
 * many addresses cannot lock a working integration out; with 256-bit secrets guessing
 * cannot succeed, and the limit keeps the noise (and the work) down.
 */
export interface FailureLimits {
  perAddress: Limiter
  perKey: Limiter
}

const tooMany = (message: string, seconds = 60) =>
  new AppError('rate_limited', `${message}; try again in ${seconds} s`, undefined, { 'retry-after': String(seconds) })

/** onRequest hook of the integrator API: who is calling, and from where. */
export function authenticateApiKey(verify: VerifyApiKey, limits: FailureLimits) {
  return async function (request: FastifyRequest) {
    const credentials = parseBasic(request.headers.authorization)
    if (!credentials) throw missing()
    const fromAddress = await limits.perAddress(request, { increment: false })
    if (!fromAddress.isAllowed && fromAddress.remaining === 0) {
      throw tooMany('Too many failed authentications from this address', fromAddress.ttlInSeconds)
    }
    const result = await verify.check(credentials.user, credentials.pass)
    if (!result.ok) {
      if (result.apiKeyId && result.storeId) request.usageKey = { apiKeyId: result.apiKeyId, storeId: result.storeId, authenticated: false }
      request.log.info({ reason: result.reason, apiKeyId: result.apiKeyId }, 'API credentials refused')
      await limits.perAddress(request)
      if (request.usageKey) {
        const forKey = await limits.perKey(request)
        if (!forKey.isAllowed && forKey.remaining === 0 && !forKey.isExceeded) {
          request.log.warn(
            { apiKeyId: result.apiKeyId },
            'API key: failed authentications reached the limit for this minute; further wrong secrets get 429',
          )
        }
        if (!forKey.isAllowed && forKey.isExceeded) throw tooMany('Too many failed authentications for this API key', forKey.ttlInSeconds)
      }
      throw invalid()
    }
    request.apiKey = result.key
    request.usageKey = { apiKeyId: result.key.apiKeyId, storeId: result.key.storeId, authenticated: true }
    if (!ipAllowed(request.ip, result.key.allowedIps)) {
      throw new AppError('forbidden', `This API key does not accept requests from ${request.ip}`)
    }
  }
}

/** preValidation: the key must hold this permission, before its input is even looked at. */
export function requirePermission(permission: Permission) {
  return async function (request: FastifyRequest) {
    if (!request.apiKey.permissions.includes(permission)) {
      throw new AppError('forbidden', `This API key lacks a permission: requires ${permission}`)
    }
  }
}

/** onResponse hook: count every answer against its key, refused ones included. */
export function countUsage(usage: UsageRecorder) {
  return async function (request: FastifyRequest, reply: FastifyReply) {
    const k = request.usageKey
    if (k)
      usage.record({ apiKeyId: k.apiKeyId, storeId: k.storeId, status: reply.statusCode, ip: request.ip, authenticated: k.authenticated })
  }
}
