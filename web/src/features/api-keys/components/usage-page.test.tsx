import { describe, expect, it, vi } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import type { UsageBucket, UsageCounts, UsageKeySummary, UsagePeriod, UsageReport } from '@deskflow/shared'
import { json, stubFetch, storeRoutes } from '@/testing/fetch-stub'
import { renderApp } from '@/testing/render-app'
import { errorRate } from './usage-page'

// happy-dom has no canvas; the chart's numbers are also in the page's accessible summary.
vi.mock('./usage-chart', () => ({ default: () => <div data-testid="usage-chart" /> }))

const ZERO: UsageCounts = { success: 0, clientError: 0, authError: 0, rateLimited: 0, serverError: 0 }
const HOURS: Record<UsagePeriod, number> = { '24h': 24, '7d': 168, '30d': 720 }

function key(id: string, description: string, totals: Partial<UsageCounts>): UsageKeySummary {
  return {
    apiKeyId: id,
    description,
    lastUsedAt: new Date(Date.now() - 60_000).toISOString(),
    lastUsedIp: '203.0.113.7',
    totals: { ...ZERO, ...totals },
  }
}

function report(period: UsagePeriod, keys: UsageKeySummary[]): UsageReport {
  const hours = HOURS[period]
  const to = Date.UTC(2026, 10, 26, 12)
  const series: UsageBucket[] = Array.from({ length: hours }, (_, i) => ({
    hour: new Date(to - (hours - i) * 3600_000).toISOString(),
    ...ZERO,
  }))
  const last = { ...series[hours - 1]! }
  for (const k of keys) for (const [outcome, n] of Object.entries(k.totals) as [keyof UsageCounts, number][]) last[outcome] += n
  series[hours - 1] = last
  return { period, from: series[0]!.hour, to: new Date(to).toISOString(), series, keys }
}

const ERP = key('key_erp', 'ERP sync', { success: 900, clientError: 50, rateLimited: 50 })
const APP = key('key_app', 'Mobile app', { success: 40 })

describe('Settings → Usage', () => {
  it('shows the store totals with the error rate, the chart and the busiest keys; a key’s chart is one click away', async () => {
    const stub = stubFetch({
      ...storeRoutes(() => json(200, { data: [] })),
      'GET /stores/demo/usage': ({ query }) =>
        query.apiKeyId
          ? json(200, report((query.period ?? '24h') as UsagePeriod, [ERP]))
          : json(200, report((query.period ?? '24h') as UsagePeriod, query.period === '30d' ? [ERP, APP] : [ERP])),
    })
    const { user } = renderApp('/store/demo/settings/usage')
    await screen.findByRole('heading', { name: 'Usage', level: 1 })
    await waitFor(() => expect(screen.getByText('Error rate', { selector: 'dt' }).nextElementSibling).toHaveTextContent('10%'))
    expect(screen.getByText('Successful', { selector: 'dt' }).nextElementSibling).toHaveTextContent('900')
    expect(stub.callsTo('GET', '/stores/demo/usage')[0]!.query).toEqual({ period: '24h' })

    const table = screen.getByRole('table', { name: 'Busiest keys' })
    const [, first] = within(table).getAllByRole('row')
    expect(first).toHaveTextContent('ERP sync')
    expect(first).toHaveTextContent('1,000')
    expect(first).toHaveTextContent('100')

    await user.click(screen.getByRole('radio', { name: 'Last 30 days' }))
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Busiest keys' })).getAllByRole('row')).toHaveLength(3))
    expect(stub.callsTo('GET', '/stores/demo/usage').at(-1)!.query).toEqual({ period: '30d' })

    await user.click(screen.getByRole('button', { name: 'Usage of ERP sync' }))
    const dialog = await screen.findByRole('dialog', { name: 'Usage of “ERP sync”' })
    await waitFor(() => expect(stub.callsTo('GET', '/stores/demo/usage').at(-1)!.query).toEqual({ period: '24h', apiKeyId: 'key_erp' }))
    expect(await within(dialog).findByText('Successful', { selector: 'dt' })).toBeInTheDocument()
  })

  it('says so when nothing was requested in the period', async () => {
    stubFetch({ ...storeRoutes(() => json(200, { data: [] })), 'GET /stores/demo/usage': () => json(200, report('24h', [])) })
    renderApp('/store/demo/settings/usage')
    expect(await screen.findByText('No requests in this period')).toBeInTheDocument()
  })

  it('computes the error rate from everything but 2xx', () => {
    expect(errorRate(ZERO)).toBe('—')
    expect(errorRate({ ...ZERO, success: 199, serverError: 1 })).toBe('0.5%')
    expect(errorRate({ ...ZERO, success: 1, authError: 3 })).toBe('75%')
  })
})
