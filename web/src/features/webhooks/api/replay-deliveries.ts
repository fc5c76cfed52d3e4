import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { ReplayBody, ReplayResult } from '@deskflow/shared'
import { api, path } from '@/lib/api-client'
import { webhooksQueryOptions } from './get-webhooks'

/** Queues again the failed and/or held deliveries created since a time. */
export function replayDeliveries(storeKey: string, id: string, body: ReplayBody): Promise<ReplayResult> {
  return api.post<ReplayResult>(path`/stores/${storeKey}/webhooks/${id}/replay`, body)
}

export function useReplayDeliveries(storeKey: string, id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: ReplayBody) => replayDeliveries(storeKey, id, body),
    // The held count in the list and on the details page drops, and the log gains pending rows.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhooksQueryOptions(storeKey).queryKey }),
  })
}
