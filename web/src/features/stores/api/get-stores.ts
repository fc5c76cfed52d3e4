import { queryOptions, useQuery } from '@tanstack/react-query'
import type { StoreList } from '@deskflow/shared'
import { api } from '@/lib/api-client'

export function getStores(signal?: AbortSignal): Promise<StoreList> {
  return api.get<StoreList>('/stores', { signal })
}

export const storesQueryOptions = () =>
  queryOptions({
    queryKey: ['stores'],
    queryFn: ({ signal }) => getStores(signal),
    select: (list: StoreList) => list.data,
  })

export function useStores() {
  return useQuery(storesQueryOptions())
}
