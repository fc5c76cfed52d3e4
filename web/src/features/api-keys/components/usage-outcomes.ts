import type { UsageBucket, UsageCounts } from '@deskflow/shared'

export type Outcome = keyof UsageCounts

/** Bottom to top in the stacked chart, and the order of the totals. */
export const OUTCOMES: { key: Outcome; label: string; color: string }[] = [
  { key: 'success', label: 'Successful', color: '#12b76a' },
  { key: 'clientError', label: 'Client errors', color: '#fdb022' },
  { key: 'authError', label: 'Auth failures (401/403)', color: '#7a5af8' },
  { key: 'rateLimited', label: 'Rate limited (429)', color: '#ef6820' },
  { key: 'serverError', label: 'Server errors', color: '#d92d20' },
]

export function bucketTotal(bucket: UsageCounts): number {
  return OUTCOMES.reduce((sum, { key }) => sum + bucket[key], 0)
}

export function sumSeries(series: UsageBucket[]): UsageCounts {
  const totals: UsageCounts = { success: 0, clientError: 0, authError: 0, rateLimited: 0, serverError: 0 }
  for (const bucket of series) for (const { key } of OUTCOMES) totals[key] += bucket[key]
  return totals
}
