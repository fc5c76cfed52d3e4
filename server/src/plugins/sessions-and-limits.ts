import fp from 'fastify-plugin'
import fastifyCookie from '@fastify/cookie'
import fastifyJwt from '@fastify/jwt'
import fastifyRateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import type { Redis } from 'ioredis'
import { SESSION_COOKIE } from '../http/auth'
import { redisWithMemoryFallback } from '../lib/rate-limit-store'

/**
 * Admin sessions (an HS256 JWT in a cookie or a Bearer header) and the rate limiter
 * every limit uses: counters in Redis when there is one, in memory otherwise or while
 * Redis is away.
 */
export const sessionsAndLimits = fp<{ sessionKey: string; redis?: Redis }>(
  async (app, { sessionKey, redis }) => {
    await app.register(fastifyCookie)
    await app.register(fastifyJwt, {
      secret: sessionKey,
      cookie: { cookieName: SESSION_COOKIE, signed: false },
      sign: { algorithm: 'HS256' },
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
