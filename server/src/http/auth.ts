import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Admin } from '@deskflow/shared'
import { AppError } from '../lib/errors'

export const SESSION_COOKIE = 'df_session'

/** The admin of a session, and whether they must choose a password before anything else. */
export interface SignedInAdmin extends Admin {
  passwordChangeRequired: boolean
}

declare module 'fastify' {
  interface FastifyRequest {
    admin: SignedInAdmin
    /** The session the request is signed in with. */
    sessionId: string
  }
  interface FastifyContextConfig {
    /** Open to an admin who signed in with a one-time password (who they are, choosing their password). */
    beforePasswordChange?: boolean
  }
}

/** The refusal of every other admin route while an admin's password is a one-time password. */
export const CHOOSE_PASSWORD_FIRST =
  'Choose a new password first: you signed in with a one-time password, which only lets you choose your own (POST /auth/password) or sign out'

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; sid: string }
    user: { sub: string; sid: string }
  }
}

/** The session a request's JWT (cookie or Bearer) names, if its signature and expiry hold. */
export async function sessionOf(request: FastifyRequest): Promise<string | undefined> {
  try {
    const { sid } = await request.jwtVerify<{ sub: string; sid: string }>()
    return typeof sid === 'string' ? sid : undefined
  } catch {
    return undefined
  }
}

/**
 * onRequest hook of the admin routes: a valid JWT naming a live session (not signed out,
 * not expired) of an admin who still exists. Anything else is one 401. An admin whose
 * password is a one-time password gets 403 on every route but those marked
 * `config.beforePasswordChange`, read from the database on every request like the session.
 */
export function requireAdmin(adminOfSession: (sessionId: string) => Promise<SignedInAdmin | undefined>) {
  return async function (request: FastifyRequest, _reply: FastifyReply) {
    const sessionId = await sessionOf(request)
    const admin = sessionId ? await adminOfSession(sessionId) : undefined
    if (!sessionId || !admin) throw new AppError('unauthorized', 'Sign in to continue')
    if (admin.passwordChangeRequired && !request.routeOptions.config.beforePasswordChange)
      throw new AppError('password_change_required', CHOOSE_PASSWORD_FIRST)
    request.admin = admin
    request.sessionId = sessionId
  }
}

/** Who did an admin action, as the audit log records it. */
export interface Actor {
  adminId: string
  ip: string | null
}

export function actorOf(request: FastifyRequest): Actor {
  return { adminId: request.admin.id, ip: request.ip }
}

/**
 * Reveals with the password: 10 a minute per signed-in admin, counted after
 * authentication, so strangers cannot use up an admin's reveals from elsewhere.
 */
export const REVEAL_RATE_LIMIT = {
  max: 10,
  timeWindow: '1 minute',
  hook: 'preHandler',
  keyGenerator: (request: FastifyRequest) => `reveal|${request.admin.id}`,
} as const
