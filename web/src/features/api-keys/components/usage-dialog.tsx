import { lazy, Suspense, useState, type ReactNode } from 'react'
import { USAGE_PERIODS, type ApiKey, type UsageCounts, type UsagePeriod, type UsageReport } from '@deskflow/shared'
import { ChartColumn } from 'lucide-react'
import { EmptyState } from '@/components/ui/empty-state'
import { ErrorState } from '@/components/ui/error-state'
import { Modal, ModalBody } from '@/components/ui/modal'
import { Segmented } from '@/components/ui/segmented'
import { Spinner } from '@/components/ui/spinner'
import { formatDateTime, formatRelativeTime } from '@/lib/format'
import { useUsage } from '../api/get-usage'
import { bucketTotal, OUTCOMES, sumSeries } from './usage-outcomes'

// The chart library is only worth downloading once someone opens a usage dialog.
const UsageChart = lazy(() => import('./usage-chart'))

export const PERIOD_LABELS: Record<UsagePeriod, string> = { '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days' }
export const PERIOD_OPTIONS = USAGE_PERIODS.map((value) => ({ value, label: PERIOD_LABELS[value] }))
export const count = (n: number) => n.toLocaleString('en')

/** What a usage dialog needs of a key. */
export type UsageKey = Pick<ApiKey, 'id' | 'description'>

export function UsageDialog({ storeKey, apiKey, onClose }: { storeKey: string; apiKey: UsageKey | null; onClose: () => void }) {
  return (
    <Modal
      open={apiKey !== null}
      onOpenChange={(open) => (open ? undefined : onClose())}
      title={apiKey ? `Usage of “${apiKey.description}”` : 'Usage'}
      size="lg"
    >
      {/* Mounted only while open, so polling stops when the dialog closes. */}
      {apiKey ? <UsageContent storeKey={storeKey} apiKey={apiKey} /> : null}
    </Modal>
  )
}

function UsageContent({ storeKey, apiKey }: { storeKey: string; apiKey: UsageKey }) {
  const [period, setPeriod] = useState<UsagePeriod>('24h')
  const usage = useUsage(storeKey, period, apiKey.id)

  let content
  if (usage.isPending)
    content = (
      <div className="center-pad">
        <Spinner size={24} label="Loading usage" />
      </div>
    )
  else if (usage.isError)
    content = (
      <ErrorState
        title="Couldn't load usage"
        message={usage.error.message}
        onRetry={() => void usage.refetch()}
        retrying={usage.isFetching}
      />
    )
  else content = <UsageReportView report={usage.data} apiKeyId={apiKey.id} />

  return (
    <ModalBody>
      <div className="usage-toolbar">
        <Segmented legend="Period" options={PERIOD_OPTIONS} value={period} onChange={setPeriod} />
        <p className="field-hint" aria-live="polite">
          {usage.isPlaceholderData ? (
            <>Loading {PERIOD_LABELS[period].toLowerCase()}…</>
          ) : usage.dataUpdatedAt ? (
            <>
              Updated{' '}
              <time dateTime={new Date(usage.dataUpdatedAt).toISOString()}>
                {new Date(usage.dataUpdatedAt).toLocaleTimeString('en', { timeStyle: 'medium' })}
              </time>{' '}
              · refreshes every 10 s
            </>
          ) : null}
        </p>
      </div>
      <div className="usage-content" aria-busy={usage.isPlaceholderData || undefined}>
        {content}
      </div>
    </ModalBody>
  )
}

function UsageReportView({ report, apiKeyId }: { report: UsageReport; apiKeyId: string }) {
  const summary = report.keys.find((k) => k.apiKeyId === apiKeyId)
  const totals = summary?.totals ?? sumSeries(report.series)
  const total = bucketTotal(totals)

  return (
    <div className="stack">
      <UsageTotals totals={totals} />
      <p className="muted usage-last-used">
        Last used:{' '}
        {summary?.lastUsedAt ? (
          <>
            <time dateTime={summary.lastUsedAt} title={formatDateTime(summary.lastUsedAt)}>
              {formatRelativeTime(summary.lastUsedAt)}
            </time>
            {summary.lastUsedIp ? (
              <>
                {' '}
                from <code>{summary.lastUsedIp}</code>
              </>
            ) : null}
          </>
        ) : (
          'never'
        )}
      </p>
      {total === 0 ? (
        <EmptyState icon={<ChartColumn size={22} aria-hidden />} title="No requests in this period">
          <p>Requests made with this key show up here a few seconds after they arrive.</p>
        </EmptyState>
      ) : (
        <UsageFigure report={report} totals={totals} />
      )}
    </div>
  )
}

/** Each outcome's count, its colour as in the chart; `extra` adds figures of the caller's. */
export function UsageTotals({ totals, extra }: { totals: UsageCounts; extra?: ReactNode }) {
  return (
    <dl className="usage-totals" aria-label="Totals">
      {OUTCOMES.map(({ key, label, color }) => (
        <div key={key} className="usage-total">
          <dt>
            <span className="swatch" style={{ background: color }} aria-hidden />
            {label}
          </dt>
          <dd>{count(totals[key])}</dd>
        </div>
      ))}
      {extra}
    </dl>
  )
}

export function UsageFigure({ report, totals }: { report: UsageReport; totals: UsageCounts }) {
  const busiest = report.series.reduce((best, bucket) => (bucketTotal(bucket) > bucketTotal(best) ? bucket : best))
  const label =
    `Requests per hour from ${formatDateTime(report.from)} to ${formatDateTime(report.to)}: ` +
    OUTCOMES.map(({ key, label: name }) => `${count(totals[key])} ${name.toLowerCase()}`).join(', ') +
    `. Busiest hour: ${formatDateTime(busiest.hour)} with ${count(bucketTotal(busiest))} requests.`
  const active = report.series.filter((bucket) => bucketTotal(bucket) > 0)

  return (
    <figure className="usage-figure">
      <div role="img" aria-label={label} className="usage-chart">
        <Suspense fallback={<div className="usage-chart-loading skeleton" />}>
          <UsageChart series={report.series} />
        </Suspense>
      </div>
      <figcaption className="usage-legend" aria-hidden>
        {OUTCOMES.map(({ key, label: name, color }) => (
          <span key={key}>
            <span className="swatch" style={{ background: color }} />
            {name}
          </span>
        ))}
      </figcaption>
      {/* The same numbers for screen readers: only the hours that had requests. A table ignores a 1px width, hence the wrapper. */}
      <div className="sr-only">
        <table>
          <caption>Requests per hour</caption>
          <thead>
            <tr>
              <th scope="col">Hour</th>
              {OUTCOMES.map(({ key, label: name }) => (
                <th key={key} scope="col">
                  {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {active.map((bucket) => (
              <tr key={bucket.hour}>
                <th scope="row">{formatDateTime(bucket.hour)}</th>
                {OUTCOMES.map(({ key }) => (
                  <td key={key}>{count(bucket[key])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  )
}
