import { describe, expect, it, vi } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import type { ApiKey } from '@deskflow/shared'
import { apiError, json, makeApiKey, stubFetch, storeRoutes, unreachable, CREATED_KEY } from '@/testing/fetch-stub'
import { renderApp, waitForKeys } from '@/testing/render-app'

const CREATED = CREATED_KEY

async function openCreate() {
  const app = renderApp('/store/demo/settings/api')
  await waitForKeys()
  await app.user.click(await screen.findByRole('button', { name: 'Add API' }))
  const dialog = await screen.findByRole('dialog', { name: 'Add API key' })
  return { ...app, dialog }
}

describe('Add API key: errors stay in sight', () => {
  it('opens on the Description field, not on the close button', async () => {
    stubFetch(storeRoutes(() => json(200, { data: [] })))
    const { dialog } = await openCreate()
    expect(within(dialog).getByLabelText('Description')).toHaveFocus()
  })

  it('shows a failed save (network) beside the buttons, in the footer, not at the bottom of the form', async () => {
    stubFetch({ ...storeRoutes(() => json(200, { data: [] })), 'POST /stores/demo/api-keys': unreachable })
    const { user, dialog } = await openCreate()

    await user.type(within(dialog).getByLabelText('Description'), 'ERP')
    await user.click(within(dialog).getByRole('checkbox', { name: 'Read Orders' }))
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    const alert = await within(dialog).findByRole('alert')
    expect(alert).toHaveTextContent("Can't reach the server")
    const footer = within(dialog).getByRole('button', { name: 'Save' }).closest('footer')
    expect(footer).toContainElement(alert)
    expect(dialog.querySelector('form')).not.toContainElement(alert)
  })

  it("focuses and scrolls to the field of the server's 422 error", async () => {
    const scrolled = vi.spyOn(HTMLElement.prototype, 'scrollIntoView')
    stubFetch({
      ...storeRoutes(() => json(200, { data: [] })),
      'POST /stores/demo/api-keys': () =>
        apiError(422, 'validation_failed', 'allowedIps.0: not an IP address', [
          { field: 'allowedIps.0', message: '"10.0.0.300" is not an IP address or CIDR range' },
        ]),
    })
    const { user, dialog } = await openCreate()

    await user.type(within(dialog).getByLabelText('Description'), 'ERP')
    await user.click(within(dialog).getByRole('checkbox', { name: 'Read Orders' }))
    await user.click(within(dialog).getByRole('button', { name: 'Advanced access settings' }))
    await user.type(within(dialog).getByLabelText('Allowed IP addresses'), '10.0.0.300')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    const field = within(dialog).getByLabelText('Allowed IP addresses')
    await waitFor(() => expect(field).toHaveFocus())
    expect(field).toHaveAccessibleDescription(/Line 1: "10\.0\.0\.300" is not an IP address/)
    expect(scrolled.mock.contexts).toContain(field)
  })

  it('focuses and scrolls to a field the browser refuses (rate limit 0), opening its section', async () => {
    const scrolled = vi.spyOn(HTMLElement.prototype, 'scrollIntoView')
    const stub = stubFetch(storeRoutes(() => json(200, { data: [] })))
    const { user, dialog } = await openCreate()

    await user.type(within(dialog).getByLabelText('Description'), 'ERP')
    await user.click(within(dialog).getByRole('button', { name: 'Advanced access settings' }))
    const rate = within(dialog).getByLabelText('Rate limit (requests per minute)')
    await user.clear(rate)
    await user.type(rate, '0')
    await user.click(within(dialog).getByRole('button', { name: 'Advanced access settings' }))
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    await waitFor(() => expect(rate).toHaveFocus())
    expect(rate).toBeVisible()
    expect(scrolled.mock.contexts).toContain(rate)
    expect(stub.callsTo('POST', '/stores/demo/api-keys')).toHaveLength(0)
  })
})

describe('Focus after a dialog closes never falls to <body>', () => {
  it('goes to the header "Add API" button after creating the first key from the empty state', async () => {
    let list: ApiKey[] = []
    stubFetch({
      ...storeRoutes(() => json(200, { data: list })),
      'POST /stores/demo/api-keys': () => {
        list = [makeApiKey({ id: CREATED.id, description: 'ERP' })]
        return json(201, CREATED)
      },
    })
    const { user, dialog } = await openCreate()

    await user.type(within(dialog).getByLabelText('Description'), 'ERP')
    await user.click(within(dialog).getByRole('checkbox', { name: 'Read Orders' }))
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(await within(dialog).findByRole('heading', { name: 'Copy your credentials now' })).toHaveFocus()
    expect(within(dialog).getByLabelText('API Secret')).toHaveValue(CREATED.secret)
    await screen.findByRole('row', { name: /ERP/, hidden: true })

    await user.click(within(dialog).getByRole('button', { name: 'Done' }))
    await waitFor(() => expect(screen.getByRole('button', { name: 'Add API' })).toHaveFocus())
  })

  it('goes to the Copy button after the secret is revealed', async () => {
    const key = makeApiKey({ id: 'key_rv1', description: 'Warehouse' })
    stubFetch({
      ...storeRoutes(() => json(200, { data: [key] })),
      'POST /stores/demo/api-keys/key_rv1/reveal': () => json(200, { id: key.id, secret: `dfs_${'0'.repeat(44)}${key.secretLast4}` }),
    })
    const { user } = renderApp('/store/demo/settings/api')
    await waitForKeys()

    await user.click(screen.getByRole('button', { name: 'Show API secret for Warehouse' }))
    const dialog = await screen.findByRole('dialog', { name: 'Confirm your password' })
    await user.type(within(dialog).getByLabelText('Password'), 'right-password')
    await user.click(within(dialog).getByRole('button', { name: 'Show secret' }))

    await waitFor(() => expect(screen.getByRole('button', { name: 'Copy API secret for Warehouse' })).toHaveFocus())
  })

  it('goes to "Add API" after the last key is deleted', async () => {
    let list = [makeApiKey({ id: 'key_del9', description: 'Old ERP' })]
    stubFetch({
      ...storeRoutes(() => json(200, { data: list })),
      'DELETE /stores/demo/api-keys/key_del9': () => {
        list = []
        return json(204)
      },
    })
    const { user } = renderApp('/store/demo/settings/api')
    await waitForKeys()

    await user.click(screen.getByRole('button', { name: 'Delete Old ERP' }))
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete “Old ERP”?' })
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }))

    await screen.findByText('No API keys yet')
    await waitFor(() => expect(screen.getByRole('button', { name: 'Add API' })).toHaveFocus())
  })
})

describe('Regenerating from the Edit dialog', () => {
  it("says the regeneration is immediate and not undone by Cancel, then focuses the new secret's Copy button", async () => {
    const key = makeApiKey({ id: 'key_rg1', description: 'Warehouse' })
    stubFetch({
      ...storeRoutes(() => json(200, { data: [key] })),
      'POST /stores/demo/api-keys/key_rg1/regenerate-secret': () =>
        json(200, { id: key.id, secret: 'dfs_Regenerated000000000000000000000000000000Q1w2', previousSecretExpiresAt: null }),
    })
    const { user } = renderApp('/store/demo/settings/api')
    await waitForKeys()

    await user.click(screen.getByRole('button', { name: 'Edit Warehouse' }))
    const dialog = await screen.findByRole('dialog', { name: 'Edit API key' })
    expect(dialog).toHaveTextContent('This takes effect immediately; Cancel below does not undo it.')
    await user.click(within(dialog).getByRole('button', { name: 'Regenerate secret' }))

    const confirm = await screen.findByRole('alertdialog', { name: 'Regenerate secret?' })
    expect(confirm).toHaveTextContent('Cancel in the Edit dialog does not undo it')

    await user.click(within(confirm).getByRole('button', { name: 'Regenerate' }))
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Copy API secret' })).toHaveFocus())
  })
})

describe('Keys table', () => {
  it('shows an expired key without the green check, still saying whether it is switched on', async () => {
    const key = makeApiKey({ description: 'Old ERP', activated: true, expiresAt: '2020-01-01T00:00:00.000Z' })
    stubFetch(storeRoutes(() => json(200, { data: [key] })))
    renderApp('/store/demo/settings/api')
    await waitForKeys()

    const row = screen.getByRole('row', { name: /Old ERP/ })
    const status = within(row).getAllByRole('cell')[0]!
    expect(status).toHaveTextContent('Active')
    expect(status).toHaveTextContent('Expired')
    expect(status.querySelector('.status-on')).toBeNull()
    expect(status.querySelector('.status-expired')).not.toBeNull()
  })

  it('clamps a long description, keeping the full text in its title', async () => {
    const long = 'Nightly export to the warehouse management system '.repeat(4).trim()
    stubFetch(storeRoutes(() => json(200, { data: [makeApiKey({ description: long })] })))
    renderApp('/store/demo/settings/api')
    await waitForKeys()

    const text = screen.getByText(long)
    expect(text).toHaveClass('clamp')
    expect(text).toHaveAttribute('title', long)
  })
})
