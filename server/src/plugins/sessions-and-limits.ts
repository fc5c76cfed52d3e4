import fp from 'fastify-plugin'
import fastifyCookie from '@fastify/cookie'
import fastifyJwt from '@fastify/jwt'
import fastifyRateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import type { Redis } from 'ioredis'
import { SESSION_COOKIE } from '../http/auth'
import type { SecretBox } from '../lib/secret-box'
import { redisWithMemoryFallback } from '../lib/rate-limit-store'

/**
 * Admin sessions (an HS256 JWT in a cookie or a Bearer header) and the rate limiter
 * every limit uses: counters in Redis when there is one, in memory otherwise or while
 * Redis is away.
 *
 * A session is signed under the current secret key and names it (`kid`); it is checked
 * under the key it names, so sessions signed before a key rotation stay valid until they
 * expire while that key is in SECRET_KEY_PREVIOUS. One without `kid` (signed before the key
 * ring) is checked under the current key; one naming an unknown key fails like a forged one.
 */
export const sessionsAndLimits = fp<{ sessionKeys: Pick<SecretBox, 'keyId' | 'sessionKey' | 'sessionKeyOf'>; redis?: Redis }>(
  async (app, { sessionKeys, redis }) => {
    await app.register(fastifyCookie)
    await app.register(fastifyJwt, {
      secret: {
        private: sessionKeys.sessionKey,
        public: (_request, token, callback) => {
          const kid = 'header' in token ? token.header.kid : undefined
          callback(null, sessionKeys.sessionKeyOf(typeof kid === 'string' ? kid : undefined) ?? sessionKeys.sessionKey)
        },
      },
      decode: { complete: true },
      cookie: { cookieName: SESSION_COOKIE, signed: false },
      sign: { algorithm: 'HS256', kid: sessionKeys.keyId },
      verify: { algorithms: ['HS256'] },
    })
    await app.register(fastifyRateLimit, {
      global: false,
      enableDraftSpec: true,
      ...(redis && { store: redisWithMemoryFallback(redis, app.log) as unknown as FastifyRateLimitStoreCtor }),
      errorResponseBuilder: (_req, context) => ({
        statusCode: 429,
        message: `Too many attempts; try again in ${Math.ceil(context.ttl / 1000)} seconds`,
      }),
    })
  },
  { name: 'sessions-and-limits' },
)
