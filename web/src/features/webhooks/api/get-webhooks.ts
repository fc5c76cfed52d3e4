import { queryOptions, useQuery } from '@tanstack/react-query'
import type { Webhook, WebhookList } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'

export function getWebhooks(storeKey: string, signal?: AbortSignal): Promise<Webhook[]> {
  return api.get<WebhookList>(path`/stores/${storeKey}/webhooks`, { signal }).then((list) => list.data)
}

/** Also the prefix of every per-webhook key, so invalidating it refreshes details and logs too. */
export const webhooksQueryOptions = (storeKey: string) =>
  queryOptions({
    queryKey: ['stores', storeKey, 'webhooks'],
    queryFn: ({ signal }) => getWebhooks(storeKey, signal),
  })

export function useWebhooks(storeKey: string) {
  return useQuery(webhooksQueryOptions(storeKey))
}
