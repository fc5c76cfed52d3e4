import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query'
import type { MemberList } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'

export function getMembers(storeKey: string, signal?: AbortSignal): Promise<MemberList> {
  return api.get<MemberList>(path`/stores/${storeKey}/members`, { signal })
}

export const membersKey = (storeKey: string) => ['stores', storeKey, 'members'] as const

export const membersQueryOptions = (storeKey: string) =>
  queryOptions({
    queryKey: membersKey(storeKey),
    queryFn: ({ signal }) => getMembers(storeKey, signal),
    select: (list: MemberList) => list.data,
  })

/** Every member of the store, the earliest first. */
export function useMembers(storeKey: string) {
  return useQuery(membersQueryOptions(storeKey))
}

/**
 * After a change to the team: its list, and the signed-in admin's own stores (exactly that
 * list), where their role may have changed or the store may be gone.
 */
export function refreshTeam(queryClient: QueryClient, storeKey: string) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: membersKey(storeKey) }),
    queryClient.invalidateQueries({ queryKey: ['stores'], exact: true }),
  ])
}
