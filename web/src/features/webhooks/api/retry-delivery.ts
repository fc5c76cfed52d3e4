import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { Delivery } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'
import { webhookQueryOptions } from './get-webhook'

/** "Retry now": a delivery waiting for its next attempt, sent at once. */
export function retryDelivery(storeKey: string, id: string, deliveryId: string): Promise<Delivery> {
  return api.post<Delivery>(path`/stores/${storeKey}/webhooks/${id}/deliveries/${deliveryId}/retry`)
}

export function useRetryDelivery(storeKey: string, id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (deliveryId: string) => retryDelivery(storeKey, id, deliveryId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookQueryOptions(storeKey, id).queryKey }),
  })
}
