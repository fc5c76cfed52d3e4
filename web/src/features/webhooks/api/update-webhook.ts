import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { UpdateWebhookBody, Webhook } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'
import { webhooksQueryOptions } from './get-webhooks'
import { webhookQueryOptions } from './get-webhook'

export function updateWebhook(storeKey: string, id: string, body: UpdateWebhookBody): Promise<Webhook> {
  return api.patch<Webhook>(path`/stores/${storeKey}/webhooks/${id}`, body)
}

/** Edits, pauses, resumes and re-enables: all are a PATCH of the webhook. */
export function useUpdateWebhook(storeKey: string) {
  const queryClient = useQueryClient()
  const { queryKey } = webhooksQueryOptions(storeKey)
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateWebhookBody }) => updateWebhook(storeKey, id, body),
    onSuccess: (updated) => {
      queryClient.setQueryData(queryKey, (hooks) => hooks?.map((h) => (h.id === updated.id ? updated : h)))
      queryClient.setQueryData(webhookQueryOptions(storeKey, updated.id).queryKey, updated)
      return queryClient.invalidateQueries({ queryKey })
    },
  })
}
