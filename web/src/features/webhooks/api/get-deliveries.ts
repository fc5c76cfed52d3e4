import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query'
import type { DeliveryList, DeliveryStatus } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'
import { webhookQueryOptions, WEBHOOK_REFRESH_MS } from './get-webhook'

export const DELIVERIES_PAGE_SIZE = 20

export function getDeliveries(
  storeKey: string,
  id: string,
  options: { status?: DeliveryStatus | undefined; cursor?: string | undefined },
  signal?: AbortSignal,
): Promise<DeliveryList> {
  const query = new URLSearchParams({ limit: String(DELIVERIES_PAGE_SIZE) })
  if (options.status) query.set('status', options.status)
  if (options.cursor) query.set('cursor', options.cursor)
  return api.get<DeliveryList>(`${path`/stores/${storeKey}/webhooks/${id}/deliveries`}?${query.toString()}`, { signal })
}

export const deliveriesQueryOptions = (storeKey: string, id: string, status?: DeliveryStatus) =>
  infiniteQueryOptions({
    queryKey: [...webhookQueryOptions(storeKey, id).queryKey, 'deliveries', { status: status ?? 'all' }],
    queryFn: ({ pageParam, signal }) => getDeliveries(storeKey, id, { status, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })

/** Newest first, polled while the page is open; on refetch each page follows the fresh cursor of the one before. */
export function useDeliveries(storeKey: string, id: string, status?: DeliveryStatus) {
  return useInfiniteQuery({ ...deliveriesQueryOptions(storeKey, id, status), refetchInterval: WEBHOOK_REFRESH_MS })
}
