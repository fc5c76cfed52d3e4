import type { AuditAction, AuditTargetType } from '@deskflow/shared'

export interface AuditFilters {
  action?: AuditAction | undefined
  targetType?: AuditTargetType | undefined
  /** One key's or webhook's history. */
  targetId?: string | undefined
}

/** The filters live in the address, so a key's or a webhook's "History" link opens the log filtered. */
export function auditLogPath(storeKey: string, filters: AuditFilters = {}): string {
  const query = new URLSearchParams()
  if (filters.action) query.set('action', filters.action)
  if (filters.targetType) query.set('targetType', filters.targetType)
  if (filters.targetId) query.set('targetId', filters.targetId)
  const search = query.toString()
  return `/store/${encodeURIComponent(storeKey)}/settings/audit-log${search ? `?${search}` : ''}`
}
