import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, path } from '@/lib/api-client'
import { apiKeyListsKey, changeLoadedKeys } from './get-api-keys'

export function deleteApiKey(storeKey: string, id: string): Promise<void> {
  return api.delete(path`/stores/${storeKey}/api-keys/${id}`)
}

export function useDeleteApiKey(storeKey: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => deleteApiKey(storeKey, id),
    onSuccess: (_result, id) => {
      changeLoadedKeys(queryClient, storeKey, (keys) => keys.filter((k) => k.id !== id))
      return queryClient.invalidateQueries({ queryKey: apiKeyListsKey(storeKey) })
    },
  })
}
