import { useState } from 'react'
import { USAGE_TOP_KEYS, type UsageCounts, type UsageKeySummary, type UsagePeriod, type UsageReport } from '@deskflow/shared'
import { ChartColumn } from 'lucide-react'
import { IconButton } from '@/components/ui/button'
import { EmptyState } from '@/components/ui/empty-state'
import { ErrorState } from '@/components/ui/error-state'
import { Segmented } from '@/components/ui/segmented'
import { SkeletonRows } from '@/components/ui/skeleton-rows'
import { formatDateTime, formatRelativeTime } from '@/lib/format'
import { useUsage } from '../api/get-usage'
import { count, PERIOD_LABELS, PERIOD_OPTIONS, UsageDialog, UsageFigure, UsageTotals, type UsageKey } from './usage-dialog'
import { bucketTotal, sumSeries } from './usage-outcomes'

/** Everything but 2xx, as a share of all requests: "2.5%", or "—" without requests. */
export function errorRate(totals: UsageCounts): string {
  const total = bucketTotal(totals)
  if (total === 0) return '—'
  const share = ((total - totals.success) / total) * 100
  return `${share < 10 && share > 0 ? share.toFixed(1) : Math.round(share)}%`
}

/** Settings → Usage: the store's integrator requests by outcome, and its busiest keys. */
export function UsagePage({ storeKey }: { storeKey: string }) {
  const [period, setPeriod] = useState<UsagePeriod>('24h')
  const [chartOf, setChartOf] = useState<UsageKey | null>(null)
  const usage = useUsage(storeKey, period)

  let content
  if (usage.isPending) content = <SkeletonRows label="Loading usage" />
  else if (usage.isError && !usage.data)
    content = (
      <ErrorState
        title="Couldn't load usage"
        message={usage.error.message}
        onRetry={() => void usage.refetch()}
        retrying={usage.isFetching}
      />
    )
  else content = <StoreUsage report={usage.data} onChart={setChartOf} />

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">Usage</h1>
          <p className="page-lead">
            Requests made with this store’s API keys, hour by hour, by outcome. Watch for keys that fail often or hit their rate limit.
          </p>
        </div>
      </div>
      <div className="usage-toolbar">
        <Segmented legend="Period" options={PERIOD_OPTIONS} value={period} onChange={setPeriod} />
        <p className="field-hint" aria-live="polite">
          {usage.isPlaceholderData ? <>Loading {PERIOD_LABELS[period].toLowerCase()}…</> : usage.data ? <>Refreshes every 10 s</> : null}
        </p>
      </div>
      <div className="card usage-page" aria-busy={usage.isPlaceholderData || undefined}>
        {content}
      </div>
      <UsageDialog storeKey={storeKey} apiKey={chartOf} onClose={() => setChartOf(null)} />
    </>
  )
}

function StoreUsage({ report, onChart }: { report: UsageReport; onChart: (key: UsageKey) => void }) {
  const totals = sumSeries(report.series)
  if (bucketTotal(totals) === 0)
    return (
      <EmptyState icon={<ChartColumn size={22} aria-hidden />} title="No requests in this period">
        <p>Requests made with any of this store’s API keys show up here a few seconds after they arrive.</p>
      </EmptyState>
    )
  return (
    <div className="stack">
      <UsageTotals
        totals={totals}
        extra={
          <div className="usage-total">
            <dt>Error rate</dt>
            <dd>{errorRate(totals)}</dd>
          </div>
        }
      />
      <UsageFigure report={report} totals={totals} />
      <TopKeys keys={report.keys} onChart={onChart} />
    </div>
  )
}

function TopKeys({ keys, onChart }: { keys: UsageKeySummary[]; onChart: (key: UsageKey) => void }) {
  return (
    <section aria-labelledby="top-keys-title">
      <h2 id="top-keys-title" className="section-title">
        Busiest keys
      </h2>
      <p className="field-hint">The {USAGE_TOP_KEYS} keys with the most requests in this period, busiest first.</p>
      <div className="table-wrap">
        <table className="table usage-keys-table">
          <caption className="sr-only">Busiest keys</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col" className="cell-num">
                Requests
              </th>
              <th scope="col" className="cell-num">
                Errors
              </th>
              <th scope="col" className="cell-num">
                Error rate
              </th>
              <th scope="col">Last used</th>
              <th scope="col" className="cell-actions">
                <span className="sr-only">Chart</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => {
              const total = bucketTotal(key.totals)
              return (
                <tr key={key.apiKeyId}>
                  <td data-label="Key">
                    <span className="clamp" title={key.description}>
                      {key.description}
                    </span>
                  </td>
                  <td data-label="Requests" className="cell-num">
                    {count(total)}
                  </td>
                  <td data-label="Errors" className="cell-num">
                    {count(total - key.totals.success)}
                  </td>
                  <td data-label="Error rate" className="cell-num">
                    {errorRate(key.totals)}
                  </td>
                  <td data-label="Last used" className="cell-muted">
                    {key.lastUsedAt ? (
                      <time dateTime={key.lastUsedAt} title={formatDateTime(key.lastUsedAt)}>
                        {formatRelativeTime(key.lastUsedAt)}
                      </time>
                    ) : (
                      'never'
                    )}
                  </td>
                  <td className="cell-actions">
                    <IconButton
                      label={`Usage of ${key.description}`}
                      tooltip="Chart"
                      icon={<ChartColumn size={16} aria-hidden />}
                      onClick={() => onChart({ id: key.apiKeyId, description: key.description })}
                    />
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </section>
  )
}
