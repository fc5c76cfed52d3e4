import { queryOptions, useQuery } from '@tanstack/react-query'
import type { Webhook } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'

/** Deliveries land every few seconds; the details page polls at this pace (status, held count, log). */
export const WEBHOOK_REFRESH_MS = 5_000

export function getWebhook(storeKey: string, id: string, signal?: AbortSignal): Promise<Webhook> {
  return api.get<Webhook>(path`/stores/${storeKey}/webhooks/${id}`, { signal })
}

export const webhookQueryOptions = (storeKey: string, id: string) =>
  queryOptions({
    queryKey: ['stores', storeKey, 'webhooks', id],
    queryFn: ({ signal }) => getWebhook(storeKey, id, signal),
  })

export function useWebhook(storeKey: string, id: string) {
  return useQuery({ ...webhookQueryOptions(storeKey, id), refetchInterval: WEBHOOK_REFRESH_MS })
}
