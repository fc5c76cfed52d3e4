import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { ApiKey, UpdateApiKeyBody } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'
import { apiKeyListsKey, changeLoadedKeys } from './get-api-keys'

export function updateApiKey(storeKey: string, id: string, body: UpdateApiKeyBody): Promise<ApiKey> {
  return api.patch<ApiKey>(path`/stores/${storeKey}/api-keys/${id}`, body)
}

export function useUpdateApiKey(storeKey: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateApiKeyBody }) => updateApiKey(storeKey, id, body),
    onSuccess: (updated) => {
      changeLoadedKeys(queryClient, storeKey, (keys) => keys.map((k) => (k.id === updated.id ? updated : k)))
      return queryClient.invalidateQueries({ queryKey: apiKeyListsKey(storeKey) })
    },
  })
}
