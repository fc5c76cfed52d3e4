import { useState } from 'react'
import { RETRY_SCHEDULE_SECONDS, type Delivery, type DeliveryStatus, type Webhook } from '@deskflow/shared'
import { toast } from 'sonner'
import { History, ListX } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { LoadMore } from '@/components/ui/load-more'
import { EmptyState } from '@/components/ui/empty-state'
import { ErrorState } from '@/components/ui/error-state'
import { Segmented } from '@/components/ui/segmented'
import { SkeletonRows } from '@/components/ui/skeleton-rows'
import { useViewerReason } from '@/lib/store-role'
import { uniqueById } from '@/lib/unique-by-id'
import { useDeliveries } from '../api/get-deliveries'
import { useRedeliverDelivery } from '../api/redeliver-delivery'
import { useRetryDelivery } from '../api/retry-delivery'
import { DELIVERY_STATUS_LABELS, DeliveryRow } from './delivery-row'
import { ReplayFailedDialog } from './replay-failed-dialog'

type Filter = DeliveryStatus | 'all'

const FILTERS: { value: Filter; label: string }[] = [
  { value: 'all', label: 'All' },
  ...(['succeeded', 'failed', 'pending', 'held'] as const).map((value) => ({ value, label: DELIVERY_STATUS_LABELS[value] })),
]
const RETRY_HOURS = Math.round(RETRY_SCHEDULE_SECONDS.reduce<number>((sum, s) => sum + s, 0) / 3600)

export function DeliveriesLog({ storeKey, webhook, now }: { storeKey: string; webhook: Webhook; now: number }) {
  const [filter, setFilter] = useState<Filter>('all')
  const [replaying, setReplaying] = useState(false)
  const deliveries = useDeliveries(storeKey, webhook.id, filter === 'all' ? undefined : filter)
  const redeliver = useRedeliverDelivery(storeKey, webhook.id)
  const retry = useRetryDelivery(storeKey, webhook.id)
  const cantChange = useViewerReason()
  const rows = deliveries.data ? uniqueById(deliveries.data.pages.flatMap((page) => page.data)) : []

  function onRedeliver(delivery: Delivery) {
    redeliver.mutate(delivery.id, {
      onSuccess: () => toast.success('Delivery queued'),
      onError: (error) => toast.error(`Couldn't redeliver: ${error.message}`),
    })
  }

  function onRetry(delivery: Delivery) {
    retry.mutate(delivery.id, {
      onSuccess: () => toast.success('Sending it now'),
      onError: (error) => toast.error(`Couldn't retry: ${error.message}`),
    })
  }

  let content
  if (deliveries.isPending) content = <SkeletonRows label="Loading deliveries" />
  else if (deliveries.isError && !deliveries.data)
    content = (
      <ErrorState
        title="Couldn't load deliveries"
        message={deliveries.error.message}
        onRetry={() => void deliveries.refetch()}
        retrying={deliveries.isFetching}
      />
    )
  else if (rows.length === 0)
    content =
      filter === 'all' ? (
        <EmptyState icon={<History size={22} aria-hidden />} title="No deliveries yet">
          <p>Every event sent to this webhook shows here, with each attempt’s request and response. Try Send Dummy.</p>
        </EmptyState>
      ) : (
        <EmptyState icon={<ListX size={22} aria-hidden />} title={`No ${DELIVERY_STATUS_LABELS[filter].toLowerCase()} deliveries`} />
      )
  else
    content = (
      <>
        <div className="table-wrap">
          <table className="table deliveries-table">
            <caption className="sr-only">Deliveries</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="sr-only">Details</span>
                </th>
                <th scope="col">Event type</th>
                <th scope="col">Message id</th>
                <th scope="col">Status</th>
                <th scope="col" className="cell-num">
                  Attempts
                </th>
                <th scope="col">Last response</th>
                <th scope="col">When</th>
                <th scope="col">Next retry</th>
                <th scope="col" className="cell-actions">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((delivery) => (
                <DeliveryRow
                  key={delivery.id}
                  delivery={delivery}
                  now={now}
                  onRedeliver={onRedeliver}
                  redelivering={redeliver.isPending && redeliver.variables === delivery.id}
                  onRetry={onRetry}
                  retrying={retry.isPending && retry.variables === delivery.id}
                />
              ))}
            </tbody>
          </table>
        </div>
        <LoadMore query={deliveries} />
      </>
    )

  return (
    <section className="deliveries" aria-labelledby="deliveries-title">
      <div className="section-header">
        <div>
          <h2 id="deliveries-title" className="section-title">
            Deliveries
          </h2>
          <p className="field-hint">
            Newest first · refreshes every 5 s. A failed attempt is retried {RETRY_SCHEDULE_SECONDS.length - 1} times over about{' '}
            {RETRY_HOURS} hours.
          </p>
        </div>
        <div className="section-tools">
          <Segmented legend="Filter by status" options={FILTERS} value={filter} onChange={setFilter} />
          <Button onClick={() => setReplaying(true)} disabledReason={cantChange}>
            Replay failed…
          </Button>
        </div>
      </div>
      <div className="card deliveries-card">{content}</div>
      <ReplayFailedDialog storeKey={storeKey} webhook={webhook} open={replaying} onOpenChange={setReplaying} />
    </section>
  )
}
