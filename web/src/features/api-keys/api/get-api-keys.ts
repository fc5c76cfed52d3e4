import { queryOptions, useQuery } from '@tanstack/react-query'
import type { ApiKey, ApiKeyList } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'

export function getApiKeys(storeKey: string, signal?: AbortSignal): Promise<ApiKey[]> {
  return api.get<ApiKeyList>(path`/stores/${storeKey}/api-keys`, { signal }).then((list) => list.data)
}

export const apiKeysQueryOptions = (storeKey: string) =>
  queryOptions({
    queryKey: ['stores', storeKey, 'api-keys'],
    queryFn: ({ signal }) => getApiKeys(storeKey, signal),
  })

export function useApiKeys(storeKey: string) {
  return useQuery(apiKeysQueryOptions(storeKey))
}
