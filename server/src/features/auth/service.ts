import type { Admin } from '@deskflow/shared'
import type { Tx } from '../../db'
import { AppError } from '../../lib/errors'
import { newId, randomBase62 } from '../../lib/ids'
import type { AdminsRepo } from './repo'
import { hashPassword, verifyPassword } from './passwords'

export function createAuthService(deps: { repo: AdminsRepo }) {
  // Verified against when the email is unknown, so timing does not reveal which emails exist.
  const decoyHash = hashPassword('decoy password that never matches')

  return {
    async login(email: string, password: string): Promise<Admin> {
      const admin = await deps.repo.findByEmail(email)
      const ok = await verifyPassword(admin?.passwordHash ?? (await decoyHash), password)
      if (!admin || !ok) throw new AppError('unauthorized', 'Email or password is incorrect')
      return { id: admin.id, email: admin.email }
    },

    async startSession(adminId: string, ttlHours: number, ip: string): Promise<{ sessionId: string; expiresAt: Date }> {
      const sessionId = newId('ses')
      const expiresAt = new Date(Date.now() + ttlHours * 3600_000)
      await deps.repo.createSession({ id: sessionId, adminId, ip, expiresAt })
      return { sessionId, expiresAt }
    },

    /** The admin of a live session, or undefined once it is signed out, expired or the admin is gone. */
    async adminOfSession(sessionId: string): Promise<Admin | undefined> {
      const admin = await deps.repo.adminOfSession(sessionId)
      return admin && { id: admin.id, email: admin.email }
    },

    async endSession(sessionId: string): Promise<void> {
      await deps.repo.revokeSession(sessionId)
    },

    async findAdmin(email: string, tx?: Tx): Promise<Admin | undefined> {
      const admin = await deps.repo.findByEmail(email, tx)
      return admin && { id: admin.id, email: admin.email }
    },

    /** A new admin with a generated password, returned this once: only its hash is kept. */
    async createAdmin(email: string, tx?: Tx): Promise<{ admin: Admin; password: string }> {
      const password = randomBase62(20)
      const admin = await deps.repo.insert({ id: newId('adm'), email, passwordHash: await hashPassword(password) }, tx)
      return { admin: { id: admin.id, email: admin.email }, password }
    },

    /** Re-confirms the signed-in admin's password before showing a secret. */
    async confirmPassword(adminId: string, password: string): Promise<void> {
      const admin = await deps.repo.findById(adminId)
      if (!admin || !(await verifyPassword(admin.passwordHash, password))) {
        throw new AppError('invalid_password', 'Password is incorrect', [{ field: 'password', message: 'Password is incorrect' }])
      }
    },
  }
}

export type AuthService = ReturnType<typeof createAuthService>
