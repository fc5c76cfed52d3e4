import { describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import { EVENT_TYPES, type CreatedWebhook } from '@deskflow/shared'
import { renderApp, waitForWebhooks } from '@/testing/render-app'
import { apiError, json, makeWebhook, stubFetch, webhookStoreRoutes } from '@/testing/fetch-stub'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const CREATED: CreatedWebhook = {
  ...makeWebhook({ id: 'wh_new1', url: 'https://your-server.com/webhook', events: ['order.created'], secretLast4: 'LaSw' }),
  secret: SECRET,
}

async function openAddModal() {
  const app = renderApp('/store/demo/settings/webhooks')
  await waitForWebhooks()
  await app.user.click(screen.getByRole('button', { name: 'Add Webhook' }))
  const dialog = await screen.findByRole('dialog', { name: 'Add webhook' })
  return { ...app, dialog }
}

describe('Add webhook modal', () => {
  it('opens on the Webhook URL field', async () => {
    stubFetch(webhookStoreRoutes(() => json(200, { data: [] })))
    const { dialog } = await openAddModal()
    expect(within(dialog).getByLabelText('Webhook URL')).toHaveFocus()
  })

  it('offers all 12 events by their labels, Order Create first and chosen', async () => {
    stubFetch(webhookStoreRoutes(() => json(200, { data: [] })))
    const { dialog } = await openAddModal()

    const boxes = within(within(dialog).getByRole('group', { name: 'Events by resource' })).getAllByRole('checkbox')
    expect(boxes).toHaveLength(EVENT_TYPES.length)
    expect(boxes).toHaveLength(12)
    for (const name of ['Order Create', 'Customer Update', 'Product Delete', 'Category Create'])
      expect(within(dialog).getByRole('checkbox', { name })).toBeInTheDocument()
    expect(within(dialog).getByRole('checkbox', { name: 'Order Create' })).toBeChecked()
    expect(boxes.filter((b) => b.getAttribute('aria-checked') === 'true')).toHaveLength(1)
  })

  it('refuses an empty URL and one that is not an absolute http(s) URL at the field, sending nothing', async () => {
    const stub = stubFetch(webhookStoreRoutes(() => json(200, { data: [] })))
    const { user, dialog } = await openAddModal()
    const input = within(dialog).getByLabelText('Webhook URL')

    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(input).toHaveAttribute('aria-invalid', 'true')
    expect(input).toHaveAccessibleDescription(/Enter the URL of your endpoint/)

    await user.type(input, 'your-server.com/webhook')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(input).toHaveAccessibleDescription(/Enter an absolute URL that starts with https:\/\//)

    await user.clear(input)
    await user.type(input, 'ftp://your-server.com/webhook')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(input).toHaveAccessibleDescription(/Use an https:\/\/ URL/)

    expect(stub.callsTo('POST', '/stores/demo/webhooks')).toHaveLength(0)
  })

  it('refuses a webhook without any event, sending nothing', async () => {
    const stub = stubFetch(webhookStoreRoutes(() => json(200, { data: [] })))
    const { user, dialog } = await openAddModal()
    await user.type(within(dialog).getByLabelText('Webhook URL'), 'https://your-server.com/webhook')
    await user.click(within(dialog).getByRole('checkbox', { name: 'Order Create' }))
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Choose at least one event, e.g. Order Create.')
    expect(within(dialog).getByRole('group', { name: 'Events' })).toHaveAccessibleDescription(/Choose at least one event/)
    expect(stub.callsTo('POST', '/stores/demo/webhooks')).toHaveLength(0)
  })

  it("shows the server's url field error at the field", async () => {
    stubFetch({
      ...webhookStoreRoutes(() => json(200, { data: [] })),
      'POST /stores/demo/webhooks': () =>
        apiError(422, 'validation_failed', 'url: refused', [
          { field: 'url', message: 'Private address refused: 10.0.0.5 is in a private network' },
        ]),
    })
    const { user, dialog } = await openAddModal()

    const input = within(dialog).getByLabelText('Webhook URL')
    await user.type(input, 'https://10.0.0.5/hook')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    await waitFor(() => expect(input).toHaveAccessibleDescription(/Private address refused: 10\.0\.0\.5 is in a private network/))
    expect(input).toHaveAttribute('aria-invalid', 'true')
    expect(within(dialog).queryByLabelText('Signing secret')).not.toBeInTheDocument()

    // Editing the URL clears the server's complaint.
    await user.type(input, 'x')
    expect(input).not.toHaveAttribute('aria-invalid')
  })

  it('sends the trimmed URL and the chosen event, then shows the signing secret once with a copy button', async () => {
    const stub = stubFetch({
      ...webhookStoreRoutes(() => json(200, { data: [] })),
      'POST /stores/demo/webhooks': () => json(201, { ...CREATED, events: ['customer.created'] }),
    })
    const { user, dialog } = await openAddModal()

    await user.type(within(dialog).getByLabelText('Webhook URL'), '  https://your-server.com/webhook ')
    await user.click(within(dialog).getByRole('checkbox', { name: 'Customer Create' }))
    await user.click(within(dialog).getByRole('checkbox', { name: 'Order Update' }))
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    const secret = await within(dialog).findByLabelText('Signing secret')
    expect(secret).toHaveValue(SECRET)
    expect(stub.callsTo('POST', '/stores/demo/webhooks').map((c) => c.body)).toEqual([
      // In the catalogue's order, whatever order they were ticked in.
      { url: 'https://your-server.com/webhook', events: ['customer.created', 'order.created', 'order.updated'] },
    ])
    expect(within(dialog).getByText(/verify the/)).toHaveTextContent('webhook-signature')
    expect(await screen.findByText('Webhook created')).toBeInTheDocument()

    await user.click(within(dialog).getByRole('button', { name: 'Copy signing secret' }))
    expect(await navigator.clipboard.readText()).toBe(SECRET)

    await waitFor(() => expect(stub.callsTo('GET', '/stores/demo/webhooks').length).toBeGreaterThanOrEqual(2))
    await user.click(within(dialog).getByRole('button', { name: 'Done' }))
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
  })
})
