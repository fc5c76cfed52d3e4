import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { Member, UpdateMemberBody } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'
import { refreshTeam } from './get-members'

export function updateMember(storeKey: string, adminId: string, body: UpdateMemberBody): Promise<Member> {
  return api.patch<Member>(path`/stores/${storeKey}/members/${adminId}`, body)
}

export function useUpdateMember(storeKey: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ adminId, body }: { adminId: string; body: UpdateMemberBody }) => updateMember(storeKey, adminId, body),
    onSuccess: () => refreshTeam(queryClient, storeKey),
  })
}
