import type { DeliveryResult } from '@deskflow/shared'
import { formatDateTime, formatRelativeTime } from '@/lib/format'

/**
 * "200 · 2 minutes ago" in green, or "500 · 2 minutes ago" / "Failed · 2 minutes ago" in red.
 * A failure's full error stays in the title and, for screen readers, in visually hidden text;
 * `detailed` shows it under the outcome instead, where there is room (the webhook's page).
 */
export function LastDelivery({ result, now, detailed = false }: { result: DeliveryResult | null; now: number; detailed?: boolean }) {
  if (!result) return <span className="muted">No deliveries yet</span>
  const time = (
    <time dateTime={result.at} title={formatDateTime(result.at)}>
      {formatRelativeTime(result.at, now)}
    </time>
  )
  if (result.ok)
    return (
      <span className="delivery-outcome delivery-ok">
        <span className="sr-only">Succeeded: </span>
        {result.statusCode ?? 'OK'} · {time}
      </span>
    )

  const { statusCode, error } = result
  // "Failed: 500 (error)" or "Failed: error" when read out; "500" or "Failed" when seen.
  const hiddenError = error && !detailed ? <span className="sr-only">{statusCode !== null ? ` (${error})` : `: ${error}`}</span> : null
  return (
    <>
      <span className="delivery-outcome delivery-failed" title={error ?? undefined}>
        {statusCode !== null ? (
          <>
            <span className="sr-only">Failed: </span>
            {statusCode}
          </>
        ) : (
          'Failed'
        )}
        {hiddenError} · {time}
      </span>
      {error && detailed ? <span className="cell-sub delivery-error">{error}</span> : null}
    </>
  )
}
