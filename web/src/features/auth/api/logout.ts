import { useMutation, useQueryClient } from '@tanstack/react-query'
import { toast } from 'sonner'
import { api, isApiError } from '@/lib/api-client'

/** Ends the session on the server; a session that had already ended (401) counts as signed out. */
export async function logout(): Promise<void> {
  try {
    await api.post<void>('/auth/logout', undefined, { redirectOnUnauthorized: false })
  } catch (error) {
    if (isApiError(error) && error.status === 401) return
    throw error
  }
}

/**
 * `leave` navigates away from the signed-in pages once the server has confirmed; the cache is
 * cleared after it, not before. When the server could not be reached the session is still open:
 * the page stays, and the caller shows the error.
 */
export function useLogout(leave: () => void | Promise<void>) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: logout,
    // Cleared queries that still have observers refetch at once: leave the page first, or each is a 401 on the login page.
    onSuccess: () => {
      // Said here, not by the button: the button is gone once the page is left.
      toast.success('Signed out')
      return Promise.resolve(leave()).then(() => queryClient.clear())
    },
  })
}
