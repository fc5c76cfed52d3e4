import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { GracePeriod, RegeneratedSecret } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'
import { apiKeyListsKey } from './get-api-keys'

export function regenerateApiSecret(storeKey: string, id: string, gracePeriod: GracePeriod): Promise<RegeneratedSecret> {
  return api.post<RegeneratedSecret>(path`/stores/${storeKey}/api-keys/${id}/regenerate-secret`, { gracePeriod })
}

export function useRegenerateApiSecret(storeKey: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, gracePeriod }: { id: string; gracePeriod: GracePeriod }) => regenerateApiSecret(storeKey, id, gracePeriod),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeyListsKey(storeKey) }),
  })
}
