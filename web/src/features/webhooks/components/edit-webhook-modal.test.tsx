import { describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import type { Webhook } from '@deskflow/shared'
import { renderApp, waitForWebhooks } from '@/testing/render-app'
import { apiError, json, makeWebhook, stubFetch, webhookStoreRoutes } from '@/testing/fetch-stub'

const HOOK = makeWebhook({ id: 'wh_edit1', url: 'https://erp.example.com/hooks', events: ['order.created'] })

describe('Editing a webhook', () => {
  it('opens prefilled and sends only what changed with PATCH', async () => {
    let current: Webhook = HOOK
    const stub = stubFetch({
      ...webhookStoreRoutes(() => json(200, { data: [current] })),
      'PATCH /stores/demo/webhooks/wh_edit1': ({ body }) => {
        current = { ...current, ...(body as Partial<Webhook>) }
        return json(200, current)
      },
    })
    const { user } = renderApp('/store/demo/settings/webhooks')
    await waitForWebhooks()

    await user.click(screen.getByRole('button', { name: `Edit ${HOOK.url}` }))
    const dialog = await screen.findByRole('dialog', { name: 'Edit webhook' })
    const url = within(dialog).getByLabelText('Webhook URL')
    expect(url).toHaveValue(HOOK.url)
    expect(within(dialog).getByRole('checkbox', { name: 'Order Create' })).toBeChecked()

    await user.click(within(dialog).getByRole('checkbox', { name: 'Order Create' }))
    await user.click(within(dialog).getByRole('checkbox', { name: 'Order Update' }))
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    expect(await screen.findByText('Webhook updated')).toBeInTheDocument()
    expect(stub.callsTo('PATCH', '/stores/demo/webhooks/wh_edit1').map((c) => c.body)).toEqual([{ events: ['order.updated'] }])
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(within(screen.getByRole('row', { name: /erp\.example\.com/ })).getByText('Order Update')).toBeInTheDocument()
  })

  it("keeps the dialog open with the server's url error", async () => {
    stubFetch({
      ...webhookStoreRoutes(() => json(200, { data: [HOOK] })),
      'PATCH /stores/demo/webhooks/wh_edit1': () =>
        apiError(422, 'validation_failed', 'url', [{ field: 'url', message: 'https is required' }]),
    })
    const { user } = renderApp('/store/demo/settings/webhooks')
    await waitForWebhooks()

    await user.click(screen.getByRole('button', { name: `Edit ${HOOK.url}` }))
    const dialog = await screen.findByRole('dialog', { name: 'Edit webhook' })
    const url = within(dialog).getByLabelText('Webhook URL')
    await user.clear(url)
    await user.type(url, 'http://erp.example.com/hooks')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    await waitFor(() => expect(url).toHaveAccessibleDescription(/Https is required/))
    expect(screen.getByRole('dialog', { name: 'Edit webhook' })).toBeInTheDocument()
  })
})
