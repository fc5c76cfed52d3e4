import type { Admin, ChangePasswordBody } from '@deskflow/shared'
import type { Db, Tx } from '../../db'
import type { AdminRow } from '../../db/schema'
import type { SignedInAdmin } from '../../http/auth'
import { AppError } from '../../lib/errors'
import { newId, randomBase62 } from '../../lib/ids'
import type { AdminsRepo } from './repo'
import { hashPassword, verifyPassword } from './passwords'

export interface SignIn {
  email: string
  password: string
  ttlHours: number
  ip: string
}

export interface PasswordChange extends ChangePasswordBody {
  adminId: string
  /** The session the change is made from: it stays signed in, every other one is signed out. */
  sessionId: string
}

const INCORRECT = 'Email or password is incorrect'

function signedIn(row: AdminRow): SignedInAdmin {
  return { id: row.id, email: row.email, passwordChangeRequired: row.passwordChangeRequired }
}

function wrongCurrentPassword(message: string): AppError {
  return new AppError('invalid_password', message, [{ field: 'currentPassword', message }])
}

export function createAuthService(deps: { db: Db; repo: AdminsRepo }) {
  const { db, repo } = deps
  // Verified against when the email is unknown, so timing does not reveal which emails exist.
  const decoyHash = hashPassword('decoy password that never matches')

  return {
    /**
     * Checks the password and opens a session. The session is only made while the password
     * is still the one checked: a sign-in that overlaps a password change either finishes
     * first (and the change signs it out) or is refused.
     */
    async signIn({ email, password, ttlHours, ip }: SignIn): Promise<{ admin: SignedInAdmin; sessionId: string; expiresAt: Date }> {
      const admin = await repo.findByEmail(email)
      const ok = await verifyPassword(admin?.passwordHash ?? (await decoyHash), password)
      if (!admin || !ok) throw new AppError('unauthorized', INCORRECT)
      const sessionId = newId('ses')
      const expiresAt = new Date(Date.now() + ttlHours * 3600_000)
      const opened = await db.transaction(async (tx) => {
        if (!(await repo.lockIfPasswordIs(admin.id, admin.passwordHash, tx))) return false
        await repo.createSession({ id: sessionId, adminId: admin.id, ip, expiresAt }, tx)
        return true
      })
      if (!opened) throw new AppError('unauthorized', INCORRECT)
      return { admin: signedIn(admin), sessionId, expiresAt }
    },

    /** The admin of a live session, or undefined once it is signed out, expired or the admin is gone. */
    async adminOfSession(sessionId: string): Promise<SignedInAdmin | undefined> {
      const admin = await repo.adminOfSession(sessionId)
      return admin && signedIn(admin)
    },

    async endSession(sessionId: string): Promise<void> {
      await repo.revokeSession(sessionId)
    },

    async findAdmin(email: string, tx?: Tx): Promise<Admin | undefined> {
      const admin = await repo.findByEmail(email, tx)
      return admin && { id: admin.id, email: admin.email }
    },

    /**
     * A new admin with a generated password, returned this once: only its hash is kept. Someone
     * else generated it, so it only lets them choose their own (`passwordChangeRequired`).
     */
    async createAdmin(email: string, tx?: Tx): Promise<{ admin: Admin; password: string }> {
      const password = randomBase62(20)
      const admin = await repo.insert(
        { id: newId('adm'), email, passwordHash: await hashPassword(password), passwordChangeRequired: true },
        tx,
      )
      return { admin: { id: admin.id, email: admin.email }, password }
    },

    /**
     * The signed-in admin's own new password, given the current one. Every other session of
     * theirs is signed out, in the same transaction; a one-time password's restriction ends.
     * Two changes at once: the hash is replaced only if it is still the one the current
     * password was checked against, so the second finds its current password outdated and
     * changes nothing.
     */
    async changePassword({ adminId, sessionId, currentPassword, newPassword }: PasswordChange): Promise<{ signedOut: number }> {
      if (newPassword === currentPassword) throw AppError.invalidField('newPassword', 'must differ from the current password')
      const admin = await repo.findById(adminId)
      if (!admin || !(await verifyPassword(admin.passwordHash, currentPassword)))
        throw wrongCurrentPassword('Current password is incorrect')
      const passwordHash = await hashPassword(newPassword)
      return db.transaction(async (tx) => {
        if (!(await repo.replacePassword(adminId, { from: admin.passwordHash, to: passwordHash }, tx)))
          throw wrongCurrentPassword('Current password is no longer correct: your password was changed a moment ago')
        return { signedOut: await repo.revokeOtherSessions(adminId, sessionId, tx) }
      })
    },

    /** Re-confirms the signed-in admin's password before showing a secret. */
    async confirmPassword(adminId: string, password: string): Promise<void> {
      const admin = await repo.findById(adminId)
      if (!admin || !(await verifyPassword(admin.passwordHash, password))) {
        throw new AppError('invalid_password', 'Password is incorrect', [{ field: 'password', message: 'Password is incorrect' }])
      }
    },
  }
}

export type AuthService = ReturnType<typeof createAuthService>
