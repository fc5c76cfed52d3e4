import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Admin } from '@deskflow/shared'
import { AppError } from '../lib/errors'

export const SESSION_COOKIE = 'df_session'

declare module 'fastify' {
  interface FastifyRequest {
    admin: Admin
  }
}

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
 * not expired) of an admin who still exists. Anything else is one 401.
 */
export function requireAdmin(adminOfSession: (sessionId: string) => Promise<Admin | undefined>) {
  return async function (request: FastifyRequest, _reply: FastifyReply) {
    const sessionId = await sessionOf(request)
    const admin = sessionId ? await adminOfSession(sessionId) : undefined
    if (!admin) throw new AppError('unauthorized', 'Sign in to continue')
    request.admin = admin
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
