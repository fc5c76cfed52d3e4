import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query'
import type { AuditList } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'
import type { AuditFilters } from '@/lib/audit-log-path'

export type { AuditFilters }

export const AUDIT_PAGE_SIZE = 50

export function getAuditLog(storeKey: string, filters: AuditFilters, cursor?: string, signal?: AbortSignal): Promise<AuditList> {
  const query = new URLSearchParams({ limit: String(AUDIT_PAGE_SIZE) })
  if (filters.action) query.set('action', filters.action)
  if (filters.targetType) query.set('targetType', filters.targetType)
  if (filters.targetId) query.set('targetId', filters.targetId)
  if (cursor) query.set('before', cursor)
  return api.get<AuditList>(`${path`/stores/${storeKey}/audit-log`}?${query.toString()}`, { signal })
}

export const auditLogQueryOptions = (storeKey: string, filters: AuditFilters) =>
  infiniteQueryOptions({
    queryKey: ['stores', storeKey, 'audit-log', filters],
    queryFn: ({ pageParam, signal }) => getAuditLog(storeKey, filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })

/** Newest first, a page at a time; fetched afresh each time the page opens. */
export function useAuditLog(storeKey: string, filters: AuditFilters) {
  return useInfiniteQuery({ ...auditLogQueryOptions(storeKey, filters), staleTime: 0 })
}
