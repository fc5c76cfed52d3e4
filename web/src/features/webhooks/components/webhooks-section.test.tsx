import { describe, expect, it } from 'vitest'
import { screen, within } from '@testing-library/react'
import type { Webhook } from '@deskflow/shared'
import { renderApp, waitForWebhooks } from '@/testing/render-app'
import { json, makeWebhook, never, stubFetch, unreachable, webhookStoreRoutes } from '@/testing/fetch-stub'

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString()

const ACTIVE = makeWebhook({
  id: 'wh_active1',
  url: 'https://erp.example.com/hooks/orders',
  events: ['order.created'],
  lastDelivery: { at: minutesAgo(2), ok: true, statusCode: 200, error: null },
})
const PAUSED = makeWebhook({
  id: 'wh_paused1',
  url: 'https://crm.example.com/customers',
  events: ['customer.updated'],
  status: 'paused',
  heldCount: 3,
  lastDelivery: { at: minutesAgo(60), ok: false, statusCode: 500, error: null },
})
const DISABLED = makeWebhook({
  id: 'wh_dis1',
  url: 'https://old.example.com/hook',
  events: ['product.deleted'],
  status: 'disabled',
  disabledReason: 'every delivery failed for 5 days',
  lastDelivery: { at: minutesAgo(10), ok: false, statusCode: null, error: 'Connection refused' },
})

function rowOf(url: string) {
  return screen.getByRole('row', { name: new RegExp(url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')) })
}

describe('Webhooks list', () => {
  it('shows URL, event, status and last delivery of each webhook, with its actions', async () => {
    stubFetch(webhookStoreRoutes(() => json(200, { data: [ACTIVE, PAUSED, DISABLED] })))
    renderApp('/store/demo/settings/webhooks')
    await waitForWebhooks()

    const table = screen.getByRole('table', { name: 'Webhooks' })
    for (const header of ['URL', 'Event', 'Status', 'Last delivery', 'Actions']) {
      expect(within(table).getByRole('columnheader', { name: header })).toBeInTheDocument()
    }

    const active = rowOf(ACTIVE.url)
    expect(within(active).getByRole('link', { name: ACTIVE.url })).toHaveAttribute('href', '/store/demo/settings/webhooks/wh_active1')
    expect(within(active).getByText('Order Create')).toBeInTheDocument()
    expect(within(active).getByText('Active')).toHaveClass('badge-success')
    expect(within(active).getByRole('cell', { name: /2 minutes ago/ })).toHaveTextContent('Succeeded: 200 · 2 minutes ago')
    expect(within(active).getByText(/200 ·/).closest('.delivery-outcome')).toHaveClass('delivery-ok')
    const details = within(active).getByRole('link', { name: `Details of ${ACTIVE.url}` })
    expect(details).toHaveTextContent('Details')
    expect(details).toHaveAttribute('href', '/store/demo/settings/webhooks/wh_active1')
    expect(within(active).getByRole('button', { name: `Send Dummy to ${ACTIVE.url}` })).toHaveTextContent('Send Dummy')
    expect(within(active).getByRole('button', { name: `Edit ${ACTIVE.url}` })).toBeInTheDocument()
    expect(within(active).getByRole('button', { name: `Delete ${ACTIVE.url}` })).toBeInTheDocument()

    const paused = rowOf(PAUSED.url)
    expect(within(paused).getByText('Customer Update')).toBeInTheDocument()
    expect(within(paused).getByText('Paused')).toBeInTheDocument()
    expect(within(paused).getByText('3 held events')).toBeInTheDocument()
    expect(within(paused).getByRole('cell', { name: /1 hour ago/ })).toHaveTextContent('Failed: 500 · 1 hour ago')
    expect(within(paused).getByText(/500 ·/).closest('.delivery-outcome')).toHaveClass('delivery-failed')

    const disabled = rowOf(DISABLED.url)
    expect(within(disabled).getByText('Product Delete')).toBeInTheDocument()
    expect(within(disabled).getByText('Disabled')).toHaveClass('badge-danger')
    expect(within(disabled).getByRole('cell', { name: /10 minutes ago/ })).toHaveTextContent('Failed: Connection refused · 10 minutes ago')
  })

  it('says "No deliveries yet" for a webhook that never sent anything', async () => {
    stubFetch(webhookStoreRoutes(() => json(200, { data: [makeWebhook({ url: 'https://new.example.com/hook' })] })))
    renderApp('/store/demo/settings/webhooks')
    await waitForWebhooks()

    expect(within(rowOf('https://new.example.com/hook')).getByText('No deliveries yet')).toBeInTheDocument()
  })

  it('warns about each disabled webhook and re-enables it with PATCH status active', async () => {
    let list: Webhook[] = [ACTIVE, DISABLED]
    const stub = stubFetch({
      ...webhookStoreRoutes(() => json(200, { data: list })),
      'PATCH /stores/demo/webhooks/wh_dis1': ({ body }) => {
        const updated: Webhook = { ...DISABLED, ...(body as Partial<Webhook>), disabledReason: null }
        list = [ACTIVE, updated]
        return json(200, updated)
      },
    })
    const { user } = renderApp('/store/demo/settings/webhooks')
    await waitForWebhooks()

    const banner = screen.getByText(`${DISABLED.url} was disabled: every delivery failed for 5 days`).closest('.banner') as HTMLElement
    expect(banner).toBeInTheDocument()
    expect(screen.queryByText(new RegExp(`${ACTIVE.url} was disabled`))).not.toBeInTheDocument()

    await user.click(within(banner).getByRole('button', { name: 'Re-enable' }))

    expect(await screen.findByText('Webhook re-enabled')).toBeInTheDocument()
    expect(stub.callsTo('PATCH', '/stores/demo/webhooks/wh_dis1').map((c) => c.body)).toEqual([{ status: 'active' }])
    expect(screen.queryByText(/was disabled/)).not.toBeInTheDocument()
    expect(within(rowOf(DISABLED.url)).getByText('Active')).toBeInTheDocument()
  })

  it('shows an empty state with one "Add Webhook" button when the store has no webhooks', async () => {
    stubFetch(webhookStoreRoutes(() => json(200, { data: [] })))
    const { user } = renderApp('/store/demo/settings/webhooks')

    expect(await screen.findByText('No webhooks yet')).toBeInTheDocument()
    expect(screen.queryByRole('table')).not.toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'API reference' })).toHaveAttribute('href', '/docs')
    const add = screen.getAllByRole('button', { name: 'Add Webhook' })
    expect(add).toHaveLength(1)
    await user.click(add[0]!)
    expect(await screen.findByRole('dialog', { name: 'Add webhook' })).toBeInTheDocument()
  })

  it('shows a loading state while the list is on its way', async () => {
    stubFetch(webhookStoreRoutes(never))
    renderApp('/store/demo/settings/webhooks')

    expect(await screen.findByRole('status', { name: 'Loading webhooks' })).toBeInTheDocument()
    expect(screen.queryByRole('table')).not.toBeInTheDocument()
    expect(screen.queryByText('No webhooks yet')).not.toBeInTheDocument()
  })

  it("says the server can't be reached and retries on demand", async () => {
    let attempts = 0
    stubFetch(
      webhookStoreRoutes(() => {
        attempts += 1
        return attempts === 1 ? unreachable() : json(200, { data: [ACTIVE] })
      }),
    )
    const { user } = renderApp('/store/demo/settings/webhooks')

    const alert = await screen.findByRole('alert')
    expect(within(alert).getByRole('heading', { name: "Can't reach the server" })).toBeInTheDocument()
    await user.click(within(alert).getByRole('button', { name: 'Retry' }))
    expect(await screen.findByRole('link', { name: ACTIVE.url })).toBeInTheDocument()
    expect(attempts).toBe(2)
  })
})
