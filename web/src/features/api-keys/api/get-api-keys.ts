import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery, type InfiniteData, type QueryClient } from '@tanstack/react-query'
import { API_KEYS_PAGE_SIZE, type ApiKey, type ApiKeyList } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'

export function getApiKeys(
  storeKey: string,
  options: { search?: string | undefined; review?: boolean | undefined; cursor?: string | undefined },
  signal?: AbortSignal,
): Promise<ApiKeyList> {
  const query = new URLSearchParams({ limit: String(API_KEYS_PAGE_SIZE) })
  if (options.search) query.set('search', options.search)
  if (options.review) query.set('review', 'true')
  if (options.cursor) query.set('cursor', options.cursor)
  return api.get<ApiKeyList>(`${path`/stores/${storeKey}/api-keys`}?${query.toString()}`, { signal })
}

/** Every list of the store's keys, whatever the search: what a change to a key refreshes. */
export const apiKeyListsKey = (storeKey: string) => ['stores', storeKey, 'api-keys'] as const

export const apiKeysQueryOptions = (storeKey: string, search = '', review = false) =>
  infiniteQueryOptions({
    queryKey: [...apiKeyListsKey(storeKey), { search, review }],
    queryFn: ({ pageParam, signal }) => getApiKeys(storeKey, { search, review, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })

/** Newest first, a page at a time; while a new search loads, the previous results stay on screen. */
export function useApiKeys(storeKey: string, search = '', review = false) {
  return useInfiniteQuery({ ...apiKeysQueryOptions(storeKey, search, review), placeholderData: keepPreviousData })
}

/** Applies `change` to the keys of every loaded page of every list of the store, at once. */
export function changeLoadedKeys(queryClient: QueryClient, storeKey: string, change: (keys: ApiKey[]) => ApiKey[]) {
  queryClient.setQueriesData<InfiniteData<ApiKeyList, string | undefined>>(
    { queryKey: apiKeyListsKey(storeKey) },
    (lists) => lists && { ...lists, pages: lists.pages.map((page) => ({ ...page, data: change(page.data) })) },
  )
}
