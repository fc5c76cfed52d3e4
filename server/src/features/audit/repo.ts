import { and, desc, eq, lt, or } from 'drizzle-orm'
import type { Tx } from '../../db'
import { admins, auditLog } from '../../db/schema'

export type NewAuditEntry = Omit<typeof auditLog.$inferInsert, 'id' | 'createdAt'>

export function createAuditRepo(db: Tx) {
  return {
    async insert(entry: typeof auditLog.$inferInsert, tx: Tx = db): Promise<void> {
      await tx.insert(auditLog).values(entry)
    },

    /** Newest first; `before` is the (createdAt, id) of the last entry already seen. */
    async list(storeId: string, limit: number, before?: { createdAt: Date; id: string }, tx: Tx = db) {
      const older = before
        ? or(lt(auditLog.createdAt, before.createdAt), and(eq(auditLog.createdAt, before.createdAt), lt(auditLog.id, before.id)))
        : undefined
      return tx
        .select({ entry: auditLog, actorEmail: admins.email })
        .from(auditLog)
        .leftJoin(admins, eq(admins.id, auditLog.adminId))
        .where(and(eq(auditLog.storeId, storeId), older))
        .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
        .limit(limit)
    },
  }
}

export type AuditRepo = ReturnType<typeof createAuditRepo>
