import type { AuditEntry, AuditList } from '@deskflow/shared'
import type { Tx } from '../../db'
import type { Cursors } from '../../lib/cursor'
import { newId } from '../../lib/ids'
import type { Actor } from '../../http/auth'
import type { AuditFilter, AuditRepo } from './repo'

export interface AuditInput {
  storeId: string
  actor: Actor
  action: string
  target: { type: string; id: string }
  metadata?: Record<string, unknown>
}

export function createAuditService(deps: { repo: AuditRepo; cursors: Cursors }) {
  const { cursors } = deps

  return {
    /** Written inside the caller's transaction, so an action and its audit entry land together. */
    async record(tx: Tx, { storeId, actor, action, target, metadata = {} }: AuditInput): Promise<void> {
      await deps.repo.insert(
        { id: newId('aud'), storeId, adminId: actor.adminId, ip: actor.ip, action, targetType: target.type, targetId: target.id, metadata },
        tx,
      )
    },

    async list(storeId: string, limit: number, filter: AuditFilter = {}, before?: string): Promise<AuditList> {
      const list = `aud:${storeId}`
      const rows = await deps.repo.list(storeId, limit + 1, filter, before ? cursors.decode(list, before, 'before') : undefined)
      const page = rows.slice(0, limit)
      const last = page.at(-1)
      const data: AuditEntry[] = page.map(({ entry, actorEmail, targetLabel }) => ({
        id: entry.id,
        action: entry.action,
        actor: entry.adminId && actorEmail ? { id: entry.adminId, email: actorEmail } : null,
        targetType: entry.targetType,
        targetId: entry.targetId,
        targetLabel,
        metadata: entry.metadata,
        ip: entry.ip,
        createdAt: entry.createdAt.toISOString(),
      }))
      return { data, nextCursor: rows.length > limit && last ? cursors.encode(list, last.entry.id) : null }
    },
  }
}

export type AuditService = ReturnType<typeof createAuditService>
