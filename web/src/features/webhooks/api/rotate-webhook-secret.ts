import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { WebhookSecret } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'
import { webhooksQueryOptions } from './get-webhooks'

/** A new signing secret; the previous one keeps signing (alongside) for 24 hours. */
export function rotateWebhookSecret(storeKey: string, id: string): Promise<WebhookSecret> {
  return api.post<WebhookSecret>(path`/stores/${storeKey}/webhooks/${id}/rotate-secret`)
}

export function useRotateWebhookSecret(storeKey: string, id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => rotateWebhookSecret(storeKey, id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhooksQueryOptions(storeKey).queryKey }),
  })
}
