import { useMutation } from '@tanstack/react-query'
import type { WebhookSecret } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'

export function revealWebhookSecret(storeKey: string, id: string, password: string): Promise<WebhookSecret> {
  return api.post<WebhookSecret>(path`/stores/${storeKey}/webhooks/${id}/reveal-secret`, { password })
}

/** The secret stays in the caller's state only, never in the query cache. */
export function useRevealWebhookSecret(storeKey: string, id: string) {
  return useMutation({ mutationFn: (password: string) => revealWebhookSecret(storeKey, id, password) })
}
