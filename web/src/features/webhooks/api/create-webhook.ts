import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { CreateWebhookBody, CreatedWebhook } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'
import { webhooksQueryOptions } from './get-webhooks'

export function createWebhook(storeKey: string, body: CreateWebhookBody): Promise<CreatedWebhook> {
  return api.post<CreatedWebhook>(path`/stores/${storeKey}/webhooks`, body)
}

export function useCreateWebhook(storeKey: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: CreateWebhookBody) => createWebhook(storeKey, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhooksQueryOptions(storeKey).queryKey, exact: true }),
  })
}
