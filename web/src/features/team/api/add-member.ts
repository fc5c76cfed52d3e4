import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { AddMemberBody, AddedMember } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'
import { refreshTeam } from './get-members'

export function addMember(storeKey: string, body: AddMemberBody): Promise<AddedMember> {
  return api.post<AddedMember>(path`/stores/${storeKey}/members`, body)
}

export function useAddMember(storeKey: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: AddMemberBody) => addMember(storeKey, body),
    onSuccess: () => refreshTeam(queryClient, storeKey),
  })
}
