import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { CreateApiKeyBody, CreatedApiKey } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'
import { apiKeyListsKey } from './get-api-keys'

export function createApiKey(storeKey: string, body: CreateApiKeyBody): Promise<CreatedApiKey> {
  return api.post<CreatedApiKey>(path`/stores/${storeKey}/api-keys`, body)
}

export function useCreateApiKey(storeKey: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: CreateApiKeyBody) => createApiKey(storeKey, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeyListsKey(storeKey) }),
  })
}
