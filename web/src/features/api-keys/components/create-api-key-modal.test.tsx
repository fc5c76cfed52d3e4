import { describe, expect, it } from 'vitest'
import { screen, within, waitFor } from '@testing-library/react'
import { PERMISSIONS, type CreatedApiKey } from '@deskflow/shared'
import { apiError, json, makeApiKey, stubFetch, storeRoutes } from '@/testing/fetch-stub'
import { renderApp, waitForKeys } from '@/testing/render-app'

const CREATED: CreatedApiKey = {
  id: 'key_new1',
  description: 'Mobile App Integration',
  key: 'dfk_NewKey000000000000000000AbCd',
  secret: 'dfs_NewSecret0000000000000000000000000000000000WxYz',
  permissions: ['read_orders', 'write_products'],
  activated: true,
  expiresAt: null,
  allowedIps: [],
  rateLimitPerMinute: 600,
}

async function openCreateModal() {
  const app = renderApp('/store/demo/settings/api')
  await waitForKeys()
  await app.user.click(await screen.findByRole('button', { name: 'Add API' }))
  const dialog = await screen.findByRole('dialog', { name: 'Add API key' })
  return { ...app, dialog }
}

describe('Add API key modal', () => {
  it('refuses an empty (or blank) description at the field and sends nothing', async () => {
    const stub = stubFetch(storeRoutes(() => json(200, { data: [] })))
    const { user, dialog } = await openCreateModal()

    await user.type(within(dialog).getByLabelText('Description'), '    ')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    const input = within(dialog).getByLabelText('Description')
    expect(input).toHaveAttribute('aria-invalid', 'true')
    expect(input).toHaveAccessibleDescription(/Enter a description/)
    expect(stub.callsTo('POST', '/stores/demo/api-keys')).toHaveLength(0)
  })

  it('refuses a description longer than 255 characters and shows the counter over the limit', async () => {
    const stub = stubFetch(storeRoutes(() => json(200, { data: [] })))
    const { user, dialog } = await openCreateModal()

    const input = within(dialog).getByLabelText('Description')
    await user.click(input)
    await user.paste('x'.repeat(256))
    expect(within(dialog).getByText('256/255')).toHaveClass('counter-over')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    expect(input).toHaveAccessibleDescription(/at most 255 characters/)
    expect(stub.callsTo('POST', '/stores/demo/api-keys')).toHaveLength(0)
  })

  it('trims the description, sends the ticked permissions and the switch, then shows key and secret with copy buttons', async () => {
    const stub = stubFetch({
      ...storeRoutes(() => json(200, { data: [] })),
      'POST /stores/demo/api-keys': () => json(201, CREATED),
    })
    const { user, dialog } = await openCreateModal()

    expect(within(dialog).getByText('The key and secret are generated when you save.')).toBeInTheDocument()
    expect(within(dialog).getByRole('switch', { name: 'Activated' })).toBeChecked()

    await user.type(within(dialog).getByLabelText('Description'), '  Mobile App Integration  ')
    await user.click(within(dialog).getByRole('checkbox', { name: 'Write Products' }))
    await user.click(within(dialog).getByRole('checkbox', { name: 'Read Orders' }))
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    await within(dialog).findByText('Copy your credentials now')
    expect(stub.callsTo('POST', '/stores/demo/api-keys')[0]?.body).toEqual({
      description: 'Mobile App Integration',
      permissions: ['read_orders', 'write_products'],
      activated: true,
    })
    expect(within(dialog).getByLabelText('API Key')).toHaveValue(CREATED.key)
    expect(within(dialog).getByLabelText('API Secret')).toHaveValue(CREATED.secret)
    expect(within(dialog).getByText(/only time the secret is shown without your password/)).toBeInTheDocument()
    expect(await screen.findByText('API key created')).toBeInTheDocument()

    await user.click(within(dialog).getByRole('button', { name: 'Copy API secret' }))
    expect(await navigator.clipboard.readText()).toBe(CREATED.secret)
    expect(within(dialog).getByRole('button', { name: 'Copy API secret' })).toHaveTextContent('Copied')
    await user.click(within(dialog).getByRole('button', { name: 'Copy API key' }))
    expect(await navigator.clipboard.readText()).toBe(CREATED.key)

    // The list is refetched so the new key appears behind the modal.
    await waitFor(() => expect(stub.callsTo('GET', '/stores/demo/api-keys').length).toBeGreaterThanOrEqual(2))
    await user.click(within(dialog).getByRole('button', { name: 'Done' }))
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
  })

  it('"Select all" ticks every permission and the switch can turn the key off', async () => {
    const stub = stubFetch({
      ...storeRoutes(() => json(200, { data: [makeApiKey()] })),
      'POST /stores/demo/api-keys': () => json(201, { ...CREATED, activated: false }),
    })
    const { user, dialog } = await openCreateModal()

    await user.type(within(dialog).getByLabelText('Description'), 'ERP')
    await user.click(within(dialog).getByRole('checkbox', { name: 'Select all' }))
    await user.click(within(dialog).getByRole('switch', { name: 'Activated' }))
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    await within(dialog).findByText('Copy your credentials now')
    expect(stub.callsTo('POST', '/stores/demo/api-keys')[0]?.body).toEqual({
      description: 'ERP',
      permissions: [...PERMISSIONS],
      activated: false,
    })
  })

  it("shows the server's 422 field error at the matching field", async () => {
    stubFetch({
      ...storeRoutes(() => json(200, { data: [] })),
      'POST /stores/demo/api-keys': () =>
        apiError(422, 'validation_failed', 'description: already used by another key', [
          { field: 'description', message: 'already used by another key' },
        ]),
    })
    const { user, dialog } = await openCreateModal()

    await user.type(within(dialog).getByLabelText('Description'), 'Mobile App Integration')
    await user.click(within(dialog).getByRole('checkbox', { name: 'Read Orders' }))
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    const input = within(dialog).getByLabelText('Description')
    await waitFor(() => expect(input).toHaveAccessibleDescription(/Already used by another key/))
    expect(input).toHaveAttribute('aria-invalid', 'true')
    expect(within(dialog).queryByText('Copy your credentials now')).not.toBeInTheDocument()
  })
})
