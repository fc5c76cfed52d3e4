import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Permission } from '@deskflow/shared'
import { AppError } from '../../lib/errors'
import { ipAllowed } from '../../lib/ip-allowlist'
import type { PresentedKey, Verification, VerifiedApiKey, VerifyApiKey } from '../api-keys/verify'
import type { UsageRecorder } from '../usage/recorder'
import { isKeyRevokedDuringWrite, type Writer } from '../api-keys/write-key-check'
import type { Metrics } from '../../lib/metrics'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's own statement checks the API key (see `createKeyAdmission`). */
    checksKey?: boolean
  }
  interface FastifyRequest {
    /** The credentials, well formed: for a `checksKey` route's statement, and a write's, to check. */
    presentedKey: PresentedKey
    apiKey: VerifiedApiKey
    /** The key a request is counted against, also when its credentials were refused. */
    usageKey?: { apiKeyId: string; storeId: string; authenticated: boolean }
  }
}

const KNOWN_KEYS = 10_000

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

/**
 * What a checked read needs of its key: a permission, or a rule of its own (the events
 * feed: any read permission, that of the type asked for): whether a key's permissions
 * likely satisfy it, and the judgement itself, which throws the 403.
 */
export type ReadNeed = Permission | { holds(permissions: readonly Permission[]): boolean; judge(request: FastifyRequest): void }

/** A counter of @fastify/rate-limit (`createRateLimit`): counts, or only reads with `increment: false`. */
type Limiter = (
  request: FastifyRequest,
  options?: { increment?: boolean },
) => Promise<{ isAllowed: boolean; max?: number; remaining?: number; isExceeded?: boolean; ttlInSeconds?: number }>

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

/** A limiter's state as @fastify/rate-limit reports it. */
type LimitState = { max?: number; remaining?: number; ttlInSeconds?: number }

/**
 * The rate-limit fields of an answer for `policy` (window 60 s): the current IETF draft's
 * `RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers-09), and the
 * three fields of its draft 6 that clients already read.
 */
export function setRateLimitFields(
  reply: FastifyReply,
  policy: string,
  { limit, remaining, reset }: { limit: number; remaining: number; reset: number },
) {
  reply.header('ratelimit-limit', limit)
  reply.header('ratelimit-remaining', remaining)
  reply.header('ratelimit-reset', reset)
  reply.header('ratelimit-policy', `"${policy}";q=${limit};w=60`)
  reply.header('ratelimit', `"${policy}";r=${remaining};t=${reset}`)
}

/** onSend hook of the integrator API: the current draft's fields beside those of the key's own limit. */
export function currentDraftFields(
  _request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (err: null, payload: unknown) => void,
) {
  const limit = reply.getHeader('ratelimit-limit')
  if (limit !== undefined && !reply.hasHeader('ratelimit-policy')) {
    const remaining = reply.getHeader('ratelimit-remaining')
    const reset = reply.getHeader('ratelimit-reset')
    reply.header('ratelimit-policy', `"key";q=${limit};w=60`)
    reply.header('ratelimit', `"key";r=${remaining};t=${reset}`)
  }
  done(null, payload)
}

/** Failed authentications from this address, as rate-limit fields (policy `failed-auth`). */
function failureFields(reply: FastifyReply, state: LimitState) {
  setRateLimitFields(reply, 'failed-auth', {
    limit: state.max ?? 0,
    remaining: Math.max(0, state.remaining ?? 0),
    reset: state.ttlInSeconds ?? 60,
  })
}

const tooMany = (message: string, seconds = 60) =>
  new AppError('rate_limited', `${message}; try again in ${seconds} s`, undefined, { 'retry-after': String(seconds) })

/** @fastify/rate-limit's hook for one key's own limit: sets its headers, throws its 429. */
type KeyRateLimit = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>

/**
 * Who is calling, and may they: the integrator API's one judgement of a request's key,
 * in one order on every route: 401 (no, wrong or revoked credentials; 429 once failures
 * pile up), 403 (address not on the key's allowlist), 429 (the key's rate limit), 403
 * (a permission the key lacks), then the route's own input (422).
 *
 * Most routes are judged in `onRequest` by a key check of their own. A route whose
 * statement checks the key itself (config `checksKey`, the reads) only gets the
 * presented credentials there; its handler hands the statement's verdict to `admit`.
 */
export function createKeyAdmission(deps: { verify: VerifyApiKey; limits: FailureLimits; rateLimit: KeyRateLimit }) {
  const { verify, limits } = deps

  async function refuse(request: FastifyRequest, reply: FastifyReply, result: Extract<Verification, { ok: false }>): Promise<never> {
    if (result.apiKeyId && result.storeId) request.usageKey = { apiKeyId: result.apiKeyId, storeId: result.storeId, authenticated: false }
    request.log.info({ reason: result.reason, apiKeyId: result.apiKeyId }, 'API credentials refused')
    failureFields(reply, await limits.perAddress(request))
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

  /**
   * What this instance last learned of a key, by its public `dfk_…` (never its secret):
   * its id and store, so that a read whose statement fails (a 503) is still counted in the
   * key's usage; and its permissions, its allowlist and until when it is over its rate
   * limit, so that a read it most likely cannot be served checks the key alone
   * (`expectsRows`). Nothing here decides whether a key is valid or what it may do: every
   * request is still checked in the database. Bounded: emptied when it grows past KNOWN_KEYS.
   */
  const known = new Map<string, { verified: VerifiedApiKey; limitedUntil: number }>()

  function learn(key: string, verified: VerifiedApiKey, limitedUntil = 0) {
    if (known.size >= KNOWN_KEYS) known.clear()
    known.set(key, { verified, limitedUntil })
  }

  /** 401, 403 for the address, 429 for the key's rate limit; on success the key is the request's. */
  async function accept(request: FastifyRequest, reply: FastifyReply, result: Verification, presented?: PresentedKey): Promise<void> {
    if (!result.ok) return refuse(request, reply, result)
    request.apiKey = result.key
    request.usageKey = { apiKeyId: result.key.apiKeyId, storeId: result.key.storeId, authenticated: true }
    if (!ipAllowed(request.ip, result.key.allowedIps)) {
      throw new AppError('forbidden', `This API key does not accept requests from ${request.ip}`)
    }
    try {
      await deps.rateLimit(request, reply)
      if (presented) learn(presented.key, result.key)
    } catch (err) {
      if (presented && (err as { statusCode?: number }).statusCode === 429) {
        learn(presented.key, result.key, Date.now() + Number(reply.getHeader('retry-after') ?? 1) * 1000)
      }
      throw err
    }
  }

  return {
    /** onRequest hook of the integrator API. */
    async onRequest(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      const credentials = parseBasic(request.headers.authorization)
      const fromAddress = await limits.perAddress(request, { increment: false })
      if (!credentials) {
        failureFields(reply, fromAddress)
        throw missing()
      }
      if (!fromAddress.isAllowed && fromAddress.remaining === 0) {
        failureFields(reply, fromAddress)
        throw tooMany('Too many failed authentications from this address', fromAddress.ttlInSeconds)
      }
      const presented = verify.present(credentials.user, credentials.pass)
      if (presented) request.presentedKey = presented
      if (presented && request.routeOptions.config.checksKey) {
        const last = known.get(presented.key)?.verified
        // Provisional: `admit` replaces it with what the statement says about the key.
        if (last) request.usageKey = { apiKeyId: last.apiKeyId, storeId: last.storeId, authenticated: true }
        return
      }
      await accept(request, reply, presented ? await verify.checkPresented(presented) : { ok: false, reason: 'malformed' })
    },

    /**
     * Whether a `checksKey` route's statement should read its rows: not for a key that,
     * when this instance last saw it, lacked the permission, had an address allowlist (its
     * rows are read after the address is checked) or was over its rate limit, and is most
     * likely refused. Such a request checks the key alone; one that is accepted after all
     * reads its rows then.
     */
    expectsRows(request: FastifyRequest, need: ReadNeed): boolean {
      const last = known.get(request.presentedKey.key)
      if (!last) return true
      const { permissions, allowedIps } = last.verified
      const holds = typeof need === 'string' ? permissions.includes(need) : need.holds(permissions)
      return last.limitedUntil <= Date.now() && holds && allowedIps.length === 0
    },

    /**
     * Runs a write of an accepted request, which checks its key again inside its transaction
     * (`api-keys/write-key-check.ts`): a key revoked or changed after `onRequest` accepted it refuses
     * the write like any revoked key, and the write changed nothing.
     */
    async write<T>(request: FastifyRequest, permission: Permission, write: (writer: Writer) => Promise<T>): Promise<T> {
      const { storeId } = request.apiKey
      try {
        return await write({ storeId, presented: request.presentedKey, permission })
      } catch (err) {
        if (!isKeyRevokedDuringWrite(err)) throw err
        if (request.usageKey) request.usageKey = { ...request.usageKey, authenticated: false }
        request.log.info({ reason: 'revoked_during_write', apiKeyId: request.apiKey.apiKeyId }, 'API credentials refused')
        throw invalid()
      }
    },

    /** The rest of the judgement, for a route whose statement checked the key: `onRequest`'s, then the permission. */
    async admit(request: FastifyRequest, reply: FastifyReply, result: Verification, need: ReadNeed): Promise<void> {
      await accept(request, reply, result, request.presentedKey)
      if (typeof need === 'string') lacking(request, need)
      else need.judge(request)
    },
  }
}

export type KeyAdmission = ReturnType<typeof createKeyAdmission>

function lacking(request: FastifyRequest, permission: Permission) {
  if (!request.apiKey.permissions.includes(permission)) {
    throw new AppError('forbidden', `This API key lacks a permission: requires ${permission}`)
  }
}

/** preValidation: the key must hold this permission, before its input is even looked at. */
export function requirePermission(permission: Permission) {
  return async function (request: FastifyRequest) {
    lacking(request, permission)
  }
}

/** onResponse hook: count every answer against its key, refused ones included. */
export function countUsage(usage: UsageRecorder, metrics?: Metrics) {
  return function (request: FastifyRequest, reply: FastifyReply, done: () => void) {
    const k = request.usageKey
    if (k)
      usage.record({ apiKeyId: k.apiKeyId, storeId: k.storeId, status: reply.statusCode, ip: request.ip, authenticated: k.authenticated })
    // Every integrator answer passed the key check, or was refused by it (401, 403, 429).
    metrics?.keyCheck(reply.statusCode)
    done()
  }
}
