import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { Delivery } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'
import { webhookQueryOptions } from './get-webhook'

export function redeliverDelivery(storeKey: string, id: string, deliveryId: string): Promise<Delivery> {
  return api.post<Delivery>(path`/stores/${storeKey}/webhooks/${id}/deliveries/${deliveryId}/redeliver`)
}

export function useRedeliverDelivery(storeKey: string, id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (deliveryId: string) => redeliverDelivery(storeKey, id, deliveryId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookQueryOptions(storeKey, id).queryKey }),
  })
}
