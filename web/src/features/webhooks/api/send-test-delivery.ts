import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { TestDeliveryResult } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'
import { webhooksQueryOptions } from './get-webhooks'

/** "Send Dummy": the server waits for the receiver (up to 15 s) and answers with what happened. */
export function sendTestDelivery(storeKey: string, id: string): Promise<TestDeliveryResult> {
  return api.post<TestDeliveryResult>(path`/stores/${storeKey}/webhooks/${id}/test`)
}

export function useSendTestDelivery(storeKey: string, id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => sendTestDelivery(storeKey, id),
    // The last delivery and the log now include the test, whatever its outcome.
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhooksQueryOptions(storeKey).queryKey }),
  })
}
