import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query'
import type { UsagePeriod, UsageReport } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'

/** The server writes counts in batches every few seconds; polling at this pace keeps an open chart current. */
export const USAGE_REFRESH_MS = 10_000

/** One key's report, or the whole store's (`apiKeyId` undefined: the busiest keys). */
export function getUsage(storeKey: string, period: UsagePeriod, apiKeyId: string | undefined, signal?: AbortSignal): Promise<UsageReport> {
  const query = new URLSearchParams({ period })
  if (apiKeyId) query.set('apiKeyId', apiKeyId)
  return api.get<UsageReport>(`${path`/stores/${storeKey}/usage`}?${query.toString()}`, { signal })
}

export const usageQueryOptions = (storeKey: string, period: UsagePeriod, apiKeyId?: string) =>
  queryOptions({
    queryKey: ['stores', storeKey, 'usage', { period, apiKeyId: apiKeyId ?? 'store' }],
    queryFn: ({ signal }) => getUsage(storeKey, period, apiKeyId, signal),
  })

/** Polls while mounted; the previous period's report stays on screen while the next one loads. */
export function useUsage(storeKey: string, period: UsagePeriod, apiKeyId?: string) {
  return useQuery({
    ...usageQueryOptions(storeKey, period, apiKeyId),
    refetchInterval: USAGE_REFRESH_MS,
    placeholderData: keepPreviousData,
  })
}
