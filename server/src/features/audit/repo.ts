import { and, desc, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../db'
import { admins, auditLog } from '../../db/schema'

export type NewAuditEntry = Omit<typeof auditLog.$inferInsert, 'id' | 'createdAt'>

export function createAuditRepo(db: Tx) {
  return {
    async insert(entry: typeof auditLog.$inferInsert, tx: Tx = db): Promise<void> {
      await tx.insert(auditLog).values(entry)
    },

    /**
     * Newest first; `beforeId` is the last entry already seen. Its time is read in the
     * database, at the column's full (microsecond) precision, which a JavaScript date
     * would round to milliseconds, skipping entries of the same millisecond.
     */
    async list(storeId: string, limit: number, beforeId?: string, tx: Tx = db) {
      const older = beforeId
        ? sql`(${auditLog.createdAt}, ${auditLog.id}) < (select seen.created_at, seen.id from ${auditLog} seen where seen.id = ${beforeId})`
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
