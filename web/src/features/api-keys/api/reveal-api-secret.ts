import { useMutation } from '@tanstack/react-query'
import type { RevealedSecret } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'

export function revealApiSecret(storeKey: string, id: string, password: string): Promise<RevealedSecret> {
  return api.post<RevealedSecret>(path`/stores/${storeKey}/api-keys/${id}/reveal`, { password })
}

/** The secret stays in the caller's state only, never in the query cache. */
export function useRevealApiSecret(storeKey: string) {
  return useMutation({
    mutationFn: ({ id, password }: { id: string; password: string }) => revealApiSecret(storeKey, id, password),
  })
}
