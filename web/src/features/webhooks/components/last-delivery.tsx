import type { DeliveryResult } from '@deskflow/shared'
import { formatDateTime, formatRelativeTime } from '@/lib/format'

/** "200 · 2 minutes ago" in green, or the status code or error in red. */
export function LastDelivery({ result, now }: { result: DeliveryResult | null; now: number }) {
  if (!result) return <span className="muted">No deliveries yet</span>
  const outcome = result.ok ? String(result.statusCode ?? 'OK') : (result.error ?? String(result.statusCode ?? 'Failed'))
  return (
    <span className={result.ok ? 'delivery-outcome delivery-ok' : 'delivery-outcome delivery-failed'}>
      <span className="sr-only">{result.ok ? 'Succeeded: ' : 'Failed: '}</span>
      {outcome} ·{' '}
      <time dateTime={result.at} title={formatDateTime(result.at)}>
        {formatRelativeTime(result.at, now)}
      </time>
    </span>
  )
}
