import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm'
import type { Tx } from '../../db'
import { adminSessions, admins, type AdminRow } from '../../db/schema'

export function createAdminsRepo(db: Tx) {
  return {
    async findByEmail(email: string, tx: Tx = db): Promise<AdminRow | undefined> {
      const [row] = await tx.select().from(admins).where(eq(admins.email, email.toLowerCase()))
      return row
    },

    async findById(id: string, tx: Tx = db): Promise<AdminRow | undefined> {
      const [row] = await tx.select().from(admins).where(eq(admins.id, id))
      return row
    },

    async count(tx: Tx = db): Promise<number> {
      const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(admins)
      return row?.n ?? 0
    },

    async createSession(values: typeof adminSessions.$inferInsert, tx: Tx = db): Promise<void> {
      await tx.insert(adminSessions).values(values)
    },

    /**
     * Locks the admin's row (shared: sign-ins do not wait for each other) if their password
     * hash is still `passwordHash`; false when it has changed.
     */
    async lockIfPasswordIs(adminId: string, passwordHash: string, tx: Tx = db): Promise<boolean> {
      const [same] = await tx
        .select({ id: admins.id })
        .from(admins)
        .where(and(eq(admins.id, adminId), eq(admins.passwordHash, passwordHash)))
        .for('share')
      return same !== undefined
    },

    /** The admin of a live session: not revoked, not expired. */
    async adminOfSession(sessionId: string, tx: Tx = db): Promise<AdminRow | undefined> {
      const [row] = await tx
        .select({ admin: admins })
        .from(adminSessions)
        .innerJoin(admins, eq(admins.id, adminSessions.adminId))
        .where(and(eq(adminSessions.id, sessionId), isNull(adminSessions.revokedAt), gt(adminSessions.expiresAt, new Date())))
      return row?.admin
    },

    async revokeSession(sessionId: string, tx: Tx = db): Promise<void> {
      await tx
        .update(adminSessions)
        .set({ revokedAt: new Date() })
        .where(and(eq(adminSessions.id, sessionId), isNull(adminSessions.revokedAt)))
    },

    /** Signs the admin out everywhere: every live session revoked. */
    async revokeAllSessions(adminId: string, tx: Tx = db): Promise<number> {
      const revoked = await tx
        .update(adminSessions)
        .set({ revokedAt: new Date() })
        .where(and(eq(adminSessions.adminId, adminId), isNull(adminSessions.revokedAt)))
        .returning({ id: adminSessions.id })
      return revoked.length
    },

    /** Signs the admin out everywhere but `keptSessionId`. */
    async revokeOtherSessions(adminId: string, keptSessionId: string, tx: Tx = db): Promise<number> {
      const revoked = await tx
        .update(adminSessions)
        .set({ revokedAt: new Date() })
        .where(and(eq(adminSessions.adminId, adminId), ne(adminSessions.id, keptSessionId), isNull(adminSessions.revokedAt)))
        .returning({ id: adminSessions.id })
      return revoked.length
    },

    async setPassword(adminId: string, values: { passwordHash: string; passwordChangeRequired: boolean }, tx: Tx = db): Promise<void> {
      await tx.update(admins).set(values).where(eq(admins.id, adminId))
    },

    /**
     * The admin's own new password, only if the hash is still `from` (the one their current
     * password was verified against): false when it changed meanwhile (another change won).
     */
    async replacePassword(adminId: string, { from, to }: { from: string; to: string }, tx: Tx = db): Promise<boolean> {
      const changed = await tx
        .update(admins)
        .set({ passwordHash: to, passwordChangeRequired: false })
        .where(and(eq(admins.id, adminId), eq(admins.passwordHash, from)))
        .returning({ id: admins.id })
      return changed.length === 1
    },

    async insert(values: typeof admins.$inferInsert, tx: Tx = db): Promise<AdminRow> {
      const [row] = await tx
        .insert(admins)
        .values({ ...values, email: values.email.toLowerCase() })
        .returning()
      return row!
    },
  }
}

export type AdminsRepo = ReturnType<typeof createAdminsRepo>
