import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Admin } from '@deskflow/shared'
import { AppError } from '../lib/errors'
import type { Actor } from '../features/audit/service'

export const SESSION_COOKIE = 'df_session'

declare module 'fastify' {
  interface FastifyRequest {
    admin: Admin
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string }
    user: { sub: string }
  }
}

/**
 * preHandler for admin routes: a valid session JWT (cookie or Bearer) whose admin
 * still exists. Anything else is one 401.
 */
export function requireAdmin(findAdmin: (id: string) => Promise<Admin | undefined>) {
  return async function (request: FastifyRequest, _reply: FastifyReply) {
    let sub: string
    try {
      sub = (await request.jwtVerify<{ sub: string }>()).sub
    } catch {
      throw new AppError('unauthorized', 'Sign in to continue')
    }
    const admin = await findAdmin(sub)
    if (!admin) throw new AppError('unauthorized', 'Sign in to continue')
    request.admin = admin
  }
}

export function actorOf(request: FastifyRequest): Actor {
  return { adminId: request.admin.id, ip: request.ip }
}
