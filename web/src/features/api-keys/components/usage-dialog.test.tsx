import { describe, expect, it, vi } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import type { UsageBucket, UsageCounts, UsagePeriod, UsageReport } from '@deskflow/shared'
import { json, makeApiKey, stubFetch, storeRoutes } from '@/testing/fetch-stub'
import { renderApp, waitForKeys } from '@/testing/render-app'

// happy-dom has no canvas; the chart's own data is covered by the accessible summary the dialog renders.
vi.mock('./usage-chart', () => ({ default: () => <div data-testid="usage-chart" /> }))

const KEY = makeApiKey({ id: 'key_use1', description: 'Mobile App Integration' })
const ZERO: UsageCounts = { success: 0, clientError: 0, authError: 0, rateLimited: 0, serverError: 0 }

function report(period: UsagePeriod, busy: Partial<UsageCounts>, lastUsedIp: string | null = '203.0.113.7'): UsageReport {
  const hours = period === '24h' ? 24 : 168
  const to = Date.UTC(2026, 10, 26, 12)
  const series: UsageBucket[] = Array.from({ length: hours }, (_, i) => ({
    hour: new Date(to - (hours - i) * 3600_000).toISOString(),
    ...ZERO,
  }))
  // All requests in the latest hour, so the totals are the same numbers.
  series[hours - 1] = { ...series[hours - 1]!, ...busy }
  const totals = { ...ZERO, ...busy }
  const used = Object.values(totals).some((n) => n > 0)
  return {
    period,
    from: series[0]!.hour,
    to: new Date(to).toISOString(),
    series,
    keys: [
      {
        apiKeyId: KEY.id,
        description: KEY.description,
        lastUsedAt: used ? new Date(Date.now() - 120_000).toISOString() : null,
        lastUsedIp: used ? lastUsedIp : null,
        totals,
      },
    ],
  }
}

async function openUsage() {
  const app = renderApp('/store/demo/settings/api')
  await waitForKeys()
  await app.user.click(screen.getByRole('button', { name: 'Usage for Mobile App Integration' }))
  const dialog = await screen.findByRole('dialog', { name: 'Usage of “Mobile App Integration”' })
  return { ...app, dialog }
}

function totalOf(dialog: HTMLElement, label: string) {
  return within(dialog).getByText(label, { selector: 'dt' }).nextElementSibling?.textContent
}

describe('Usage dialog', () => {
  it('shows the totals, last use and chart for the last 24 hours, then asks for 7 days when the period changes', async () => {
    const stub = stubFetch({
      ...storeRoutes(() => json(200, { data: [KEY] })),
      'GET /stores/demo/usage': ({ query }) =>
        query.period === '7d'
          ? json(200, report('7d', { success: 1234, authError: 9 }))
          : json(200, report('24h', { success: 42, clientError: 3, authError: 2, rateLimited: 1, serverError: 0 })),
    })
    const { user, dialog } = await openUsage()

    await waitFor(() => expect(totalOf(dialog, 'Successful')).toBe('42'))
    expect(totalOf(dialog, 'Client errors')).toBe('3')
    expect(totalOf(dialog, 'Auth failures (401/403)')).toBe('2')
    expect(totalOf(dialog, 'Rate limited (429)')).toBe('1')
    expect(totalOf(dialog, 'Server errors')).toBe('0')
    expect(within(dialog).getByText('203.0.113.7')).toBeInTheDocument()
    expect(within(dialog).getByText('2 minutes ago')).toBeInTheDocument()
    expect(
      within(dialog).getByRole('img', {
        name: /42 successful, 3 client errors, 2 auth failures \(401\/403\), 1 rate limited \(429\), 0 server errors/,
      }),
    ).toBeInTheDocument()
    expect(await within(dialog).findByTestId('usage-chart')).toBeInTheDocument()
    expect(within(dialog).getByRole('radio', { name: 'Last 24 hours' })).toBeChecked()
    expect(stub.callsTo('GET', '/stores/demo/usage').map((c) => c.query)).toEqual([{ period: '24h', apiKeyId: 'key_use1' }])

    await user.click(within(dialog).getByRole('radio', { name: 'Last 7 days' }))

    await waitFor(() => expect(totalOf(dialog, 'Successful')).toBe('1,234'))
    expect(totalOf(dialog, 'Auth failures (401/403)')).toBe('9')
    expect(within(dialog).getByRole('radio', { name: 'Last 7 days' })).toBeChecked()
    expect(stub.callsTo('GET', '/stores/demo/usage').at(-1)?.query).toEqual({ period: '7d', apiKeyId: 'key_use1' })
  })

  it('says "No requests in this period" when the key made none, without a chart', async () => {
    stubFetch({
      ...storeRoutes(() => json(200, { data: [KEY] })),
      'GET /stores/demo/usage': ({ query }) => json(200, report(query.period as UsagePeriod, {})),
    })
    const { dialog } = await openUsage()

    expect(await within(dialog).findByText('No requests in this period')).toBeInTheDocument()
    expect(totalOf(dialog, 'Successful')).toBe('0')
    expect(within(dialog).getByText(/Last used:/)).toHaveTextContent('Last used: never')
    expect(within(dialog).queryByRole('img')).not.toBeInTheDocument()
    expect(within(dialog).queryByTestId('usage-chart')).not.toBeInTheDocument()
  })

  it('polls every 10 seconds while open and stops when closed', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    try {
      const stub = stubFetch({
        ...storeRoutes(() => json(200, { data: [KEY] })),
        'GET /stores/demo/usage': () => json(200, report('24h', { success: 1 })),
      })
      const { user, dialog } = await openUsage()
      await waitFor(() => expect(stub.callsTo('GET', '/stores/demo/usage')).toHaveLength(1))

      await vi.advanceTimersByTimeAsync(10_000)
      await waitFor(() => expect(stub.callsTo('GET', '/stores/demo/usage')).toHaveLength(2))

      await user.click(within(dialog).getByRole('button', { name: 'Close' }))
      await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
      await vi.advanceTimersByTimeAsync(30_000)
      expect(stub.callsTo('GET', '/stores/demo/usage')).toHaveLength(2)
    } finally {
      vi.useRealTimers()
    }
  })
})
