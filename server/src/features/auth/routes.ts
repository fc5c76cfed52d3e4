import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponse, LoginBody, LoginResponse, MeResponse, StoreList } from '@deskflow/shared'
import { SESSION_COOKIE, requireAdmin, sessionOf } from '../../http/auth'
import { refuseCrossSite } from '../../http/csrf'
import { NoContent, adminSecurity } from '../../http/responses'
import { AppError } from '../../lib/errors'
import type { AuthService } from './service'
import type { StoresService } from '../stores/service'

export interface AuthRoutesOptions {
  auth: AuthService
  stores: Pick<StoresService, 'list'>
  sessionTtlHours: number
  loginRateLimit: number
  loginRateLimitPerAddress: number
  secureCookies: boolean
}

export const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (app, opts) => {
  const authenticate = requireAdmin(opts.auth.adminOfSession)
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secureCookies } as const
  // Sign-out, and sign-in too: a forged sign-in would put the victim in the attacker's account.
  app.addHook('onRequest', refuseCrossSite)
  const perAddress = app.createRateLimit({
    max: opts.loginRateLimitPerAddress,
    timeWindow: '1 minute',
    keyGenerator: (req) => `login-address|${req.ip}`,
  })

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['Admin: session'],
        operationId: 'login',
        summary: 'Sign in',
        description:
          'Sets the HttpOnly session cookie and also returns the JWT for `Authorization: Bearer`. Rate-limited per address and email, and per address whatever the email.',
        body: LoginBody,
        response: { 200: LoginResponse, 401: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse },
      },
      config: {
        rateLimit: {
          max: opts.loginRateLimit,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (req) => `login|${req.ip}|${String((req.body as { email?: string } | undefined)?.email ?? '').toLowerCase()}`,
        },
      },
      // And per address alone, so one address cannot try a password on many accounts.
      preHandler: async (request) => {
        const limit = await perAddress(request)
        // (`isAllowed` marks an allow-listed key; this limiter has no allow list.)
        if (!limit.isAllowed && limit.isExceeded) {
          throw new AppError(
            'rate_limited',
            `Too many sign-in attempts from this address; try again in ${limit.ttlInSeconds} s`,
            undefined,
            {
              'retry-after': String(limit.ttlInSeconds),
            },
          )
        }
      },
    },
    async (request, reply) => {
      const admin = await opts.auth.login(request.body.email, request.body.password)
      const { sessionId, expiresAt } = await opts.auth.startSession(admin.id, opts.sessionTtlHours, request.ip)
      const token = await reply.jwtSign({ sub: admin.id, sid: sessionId }, { expiresIn: `${opts.sessionTtlHours}h` })
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, expires: expiresAt })
      return { admin, token, expiresAt: expiresAt.toISOString() }
    },
  )

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['Admin: session'],
        operationId: 'logout',
        summary: 'Sign out',
        description: 'Revokes the session at once: its token (cookie or Bearer) is refused from the next request on.',
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      const sessionId = await sessionOf(request)
      if (sessionId) await opts.auth.endSession(sessionId)
      reply.clearCookie(SESSION_COOKIE, cookieOptions)
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/auth/me',
    {
      preHandler: authenticate,
      schema: {
        tags: ['Admin: session'],
        operationId: 'getMe',
        summary: 'The signed-in admin',
        security: adminSecurity,
        response: { 200: MeResponse, 401: ErrorResponse },
      },
    },
    async (request) => ({ admin: request.admin }),
  )

  app.get(
    '/stores',
    {
      preHandler: authenticate,
      schema: {
        tags: ['Admin: stores'],
        operationId: 'listStores',
        summary: "The signed-in admin's stores",
        security: adminSecurity,
        response: { 200: StoreList, 401: ErrorResponse },
      },
    },
    async (request) => opts.stores.list(request.admin.id),
  )
}
