import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { ChangePasswordBody } from '@deskflow/shared'
import { api } from '@/lib/api-client'
import { meQueryOptions } from './get-me'

export function changePassword(body: ChangePasswordBody): Promise<void> {
  return api.post<void>('/auth/password', body)
}

/** Once changed, a one-time password's restriction is over: the cached admin says so at once. */
export function useChangePassword() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: changePassword,
    onSuccess: () => {
      queryClient.setQueryData(meQueryOptions().queryKey, (me) => me && { ...me, passwordChangeRequired: false })
    },
  })
}
