import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { LoginBody, LoginResponse } from '@deskflow/shared'
import { api } from '@/lib/api-client'
import { meQueryOptions } from './get-me'

export function login(body: LoginBody): Promise<LoginResponse> {
  return api.post<LoginResponse>('/auth/login', body, { redirectOnUnauthorized: false })
}

export function useLogin() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: login,
    onSuccess: (result) => {
      // Nothing cached under the previous session may leak into this one.
      queryClient.clear()
      queryClient.setQueryData(meQueryOptions().queryKey, { admin: result.admin, passwordChangeRequired: result.passwordChangeRequired })
    },
  })
}
