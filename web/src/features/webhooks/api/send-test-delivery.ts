import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { EventType, TestDeliveryResult } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'
import { webhooksQueryOptions } from './get-webhooks'

/** "Send Dummy": a sample of `event`; the server waits for the receiver (up to 15 s) and answers with what happened. */
export function sendTestDelivery(storeKey: string, id: string, event: EventType): Promise<TestDeliveryResult> {
  return api.post<TestDeliveryResult>(path`/stores/${storeKey}/webhooks/${id}/test`, { event })
}

export function useSendTestDelivery(storeKey: string, id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (event: EventType) => sendTestDelivery(storeKey, id, event),
    // The last delivery and the log now include the test, whatever its outcome.
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhooksQueryOptions(storeKey).queryKey }),
  })
}
