import { and, desc, eq, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { AuditAction, AuditTargetType } from '@deskflow/shared'
import type { Tx } from '../../db'
import { admins, apiKeys, auditLog, webhooks } from '../../db/schema'

export type NewAuditEntry = Omit<typeof auditLog.$inferInsert, 'id' | 'createdAt'>

export interface AuditFilter {
  action?: AuditAction | undefined
  targetType?: AuditTargetType | undefined
  targetId?: string | undefined
}

// The admin a member's entry is about (the actor is the other join of `admins`).
const member = alias(admins, 'member')

// The target's name: the key's description, the webhook's URL or the member's email as they
// are now, else (deleted) as the entry recorded them.
const targetLabel = sql<string | null>`coalesce(
  ${apiKeys.description}, ${webhooks.url}, ${member.email},
  ${auditLog.metadata}->>'description', ${auditLog.metadata}->'after'->>'description',
  ${auditLog.metadata}->>'url', ${auditLog.metadata}->'after'->>'url', ${auditLog.metadata}->>'email'
)`

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
    async list(storeId: string, limit: number, filter: AuditFilter = {}, beforeId?: string, tx: Tx = db) {
      const older = beforeId
        ? sql`(${auditLog.createdAt}, ${auditLog.id}) < (select seen.created_at, seen.id from ${auditLog} seen where seen.id = ${beforeId})`
        : undefined
      return tx
        .select({ entry: auditLog, actorEmail: admins.email, targetLabel })
        .from(auditLog)
        .leftJoin(admins, eq(admins.id, auditLog.adminId))
        .leftJoin(apiKeys, and(eq(auditLog.targetType, 'api_key'), eq(apiKeys.id, auditLog.targetId), eq(apiKeys.storeId, storeId)))
        .leftJoin(webhooks, and(eq(auditLog.targetType, 'webhook'), eq(webhooks.id, auditLog.targetId), eq(webhooks.storeId, storeId)))
        .leftJoin(member, and(eq(auditLog.targetType, 'member'), eq(member.id, auditLog.targetId)))
        .where(
          and(
            eq(auditLog.storeId, storeId),
            filter.action && eq(auditLog.action, filter.action),
            filter.targetType && eq(auditLog.targetType, filter.targetType),
            filter.targetId !== undefined ? eq(auditLog.targetId, filter.targetId) : undefined,
            older,
          ),
        )
        .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
        .limit(limit)
    },
  }
}

export type AuditRepo = ReturnType<typeof createAuditRepo>
