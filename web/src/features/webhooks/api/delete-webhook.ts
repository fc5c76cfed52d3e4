import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, path } from '@/lib/api-client'
import { webhooksQueryOptions } from './get-webhooks'

export function deleteWebhook(storeKey: string, id: string): Promise<void> {
  return api.delete(path`/stores/${storeKey}/webhooks/${id}`)
}

export function useDeleteWebhook(storeKey: string) {
  const queryClient = useQueryClient()
  const { queryKey } = webhooksQueryOptions(storeKey)
  return useMutation({
    mutationFn: (id: string) => deleteWebhook(storeKey, id),
    onSuccess: (_result, id) => {
      queryClient.setQueryData(queryKey, (hooks) => hooks?.filter((h) => h.id !== id))
      // Only the list: the details page of the deleted webhook must not refetch itself into a 404 on its way out.
      return queryClient.invalidateQueries({ queryKey, exact: true })
    },
  })
}
