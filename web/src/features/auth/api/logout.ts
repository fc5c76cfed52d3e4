import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'

export function logout(): Promise<void> {
  return api.post<void>('/auth/logout', undefined, { redirectOnUnauthorized: false })
}

/** `leave` navigates away from the signed-in pages; the cache is cleared after it, not before. */
export function useLogout(leave: () => void | Promise<void>) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: logout,
    // Cleared queries that still have observers refetch at once: leave the page first, or each is a 401 on the login page.
    onSettled: () => Promise.resolve(leave()).then(() => queryClient.clear()),
  })
}
