import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, path } from '@/lib/api-client'
import { refreshTeam } from './get-members'

export function removeMember(storeKey: string, adminId: string): Promise<void> {
  return api.delete(path`/stores/${storeKey}/members/${adminId}`)
}

export function useRemoveMember(storeKey: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (adminId: string) => removeMember(storeKey, adminId),
    onSuccess: () => refreshTeam(queryClient, storeKey),
  })
}
