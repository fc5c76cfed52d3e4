import { describe, expect, it } from 'vitest'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { renderApp, waitForKeys } from '@/testing/render-app'
import { apiError, json, makeApiKey, never, stubFetch, storeRoutes, unreachable, type StubRequest } from '@/testing/fetch-stub'

const KEY = makeApiKey({
  description: 'Mobile App Integration',
  key: 'dfk_2Xq9LmPz7Rt4Vb8Nc1Kd6Hs03F9a',
  secretLast4: 'Wx7Q',
  lastUsedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
})
const INACTIVE = makeApiKey({
  description: 'Old ERP',
  key: 'dfk_OldErp000000000000000000Zz11',
  secretLast4: 'Ab12',
  activated: false,
  lastUsedAt: null,
})

function rowOf(description: string) {
  return screen.getByRole('row', { name: new RegExp(description) })
}

describe('API keys list', () => {
  it('asks for 50 keys at a time, loads the next page on "Load more", and searches by description or key', async () => {
    const listing = (request: StubRequest) => {
      if (request.query.search) return json(200, { data: request.query.search === 'erp' ? [INACTIVE] : [], nextCursor: null })
      if (request.query.cursor === 'page-2') return json(200, { data: [INACTIVE], nextCursor: null })
      return json(200, { data: [KEY], nextCursor: 'page-2' })
    }
    const routes = storeRoutes(listing)
    const stub = stubFetch(routes)
    renderApp('/store/demo/settings/api')
    await waitForKeys()
    expect(stub.callsTo('GET', '/stores/demo/api-keys')[0]?.query).toEqual({ limit: '50' })
    expect(rowOf('Mobile App Integration')).toBeInTheDocument()
    expect(screen.queryByRole('row', { name: /Old ERP/ })).not.toBeInTheDocument()

    // The next page fails once: the list stays, an alert says so, and Load more tries again.
    let failNext = true
    routes['GET /stores/demo/api-keys'] = (request) => {
      if (request.query.cursor === 'page-2' && failNext) {
        failNext = false
        return unreachable()
      }
      return listing(request)
    }
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }))
    expect(await screen.findByText('The next page could not be loaded. Check your connection and try again.')).toBeInTheDocument()
    expect(rowOf('Mobile App Integration')).toBeInTheDocument()
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }))
    expect(await screen.findByRole('row', { name: /Old ERP/ })).toBeInTheDocument()
    expect(rowOf('Mobile App Integration')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument()

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search API keys' }), { target: { value: ' erp ' } })
    await waitFor(() => expect(screen.queryByRole('row', { name: /Mobile App Integration/ })).not.toBeInTheDocument())
    expect(rowOf('Old ERP')).toBeInTheDocument()
    expect(stub.calls.at(-1)?.query).toEqual({ limit: '50', search: 'erp' })

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search API keys' }), { target: { value: 'nothing' } })
    expect(await screen.findByText('No API keys match “nothing”')).toBeInTheDocument()
  })

  it('masks the key and the secret by default and shows status, description and last use', async () => {
    stubFetch(storeRoutes(() => json(200, { data: [KEY, INACTIVE] })))
    renderApp('/store/demo/settings/api')
    await waitForKeys()

    const row = rowOf('Mobile App Integration')
    expect(within(row).getByText('dfk_••••••••3F9a')).toBeInTheDocument()
    expect(within(row).getByText('dfs_••••••••Wx7Q')).toBeInTheDocument()
    expect(within(row).queryByText(KEY.key)).not.toBeInTheDocument()
    expect(within(row).getByText('Active')).toBeInTheDocument()
    expect(within(row).getByText('5 minutes ago')).toBeInTheDocument()

    const other = rowOf('Old ERP')
    expect(within(other).getByText('Inactive')).toBeInTheDocument()
    expect(within(other).getByText('Never')).toBeInTheDocument()
    for (const header of ['Activated', 'Description', 'API Key', 'API Secret', 'Last used', 'Actions']) {
      expect(screen.getByRole('columnheader', { name: header })).toBeInTheDocument()
    }
    expect(screen.getByRole('button', { name: 'Edit Mobile App Integration' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Delete Old ERP' })).toBeInTheDocument()
  })

  it('shows the last IP under the last use, an "Expired" badge on an expired key and the expiry date under the description', async () => {
    const used = makeApiKey({
      description: 'Warehouse',
      lastUsedAt: new Date(Date.now() - 3 * 3600_000).toISOString(),
      lastUsedIp: '198.51.100.4',
      expiresAt: '2099-01-31T12:00:00.000Z',
    })
    const expired = makeApiKey({ description: 'Old ERP', expiresAt: '2021-03-01T12:00:00.000Z' })
    stubFetch(storeRoutes(() => json(200, { data: [used, expired, KEY] })))
    renderApp('/store/demo/settings/api')
    await waitForKeys()

    const row = rowOf('Warehouse')
    expect(within(row).getByRole('cell', { name: /3 hours ago/ })).toHaveTextContent('3 hours agofrom 198.51.100.4')
    expect(within(row).getByRole('cell', { name: /^Warehouse/ })).toHaveTextContent('Created Nov 20, 2026 · Expires Jan 31, 2099')
    expect(within(row).queryByText('Expired', { selector: '.badge' })).not.toBeInTheDocument()

    const old = rowOf('Old ERP')
    expect(within(old).getByRole('cell', { name: /Active/ })).toHaveTextContent('ActiveExpired')
    expect(within(old).getByRole('cell', { name: /^Old ERP/ })).toHaveTextContent('Created Nov 20, 2026 · Expired Mar 1, 2021')

    expect(within(rowOf('Mobile App Integration')).queryByText(/Expire/)).not.toBeInTheDocument()
  })

  it('reveals the full key with the eye button, hides it again, and copies it', async () => {
    stubFetch(storeRoutes(() => json(200, { data: [KEY] })))
    const { user } = renderApp('/store/demo/settings/api')
    await waitForKeys()
    const row = rowOf('Mobile App Integration')

    await user.click(within(row).getByRole('button', { name: 'Show API key for Mobile App Integration' }))
    expect(within(row).getByText(KEY.key)).toBeInTheDocument()
    // The secret stays masked: revealing it needs the password.
    expect(within(row).getByText('dfs_••••••••Wx7Q')).toBeInTheDocument()

    await user.click(within(row).getByRole('button', { name: 'Hide API key for Mobile App Integration' }))
    expect(within(row).queryByText(KEY.key)).not.toBeInTheDocument()

    await user.click(within(row).getByRole('button', { name: 'Copy API key for Mobile App Integration' }))
    expect(await navigator.clipboard.readText()).toBe(KEY.key)
    expect(await screen.findByText('API key copied')).toBeInTheDocument()
  })

  it('shows an empty state with an "Add API" button when the store has no keys', async () => {
    stubFetch(storeRoutes(() => json(200, { data: [] })))
    const { user } = renderApp('/store/demo/settings/api')

    expect(await screen.findByText('No API keys yet')).toBeInTheDocument()
    expect(screen.queryByRole('table')).not.toBeInTheDocument()
    const add = screen.getAllByRole('button', { name: 'Add API' })
    expect(add).toHaveLength(1)
    await user.click(add[0]!)
    expect(await screen.findByRole('dialog', { name: 'Add API key' })).toBeInTheDocument()
  })

  it('shows a loading state while the list is on its way', async () => {
    stubFetch(storeRoutes(never))
    renderApp('/store/demo/settings/api')

    expect(await screen.findByRole('status', { name: 'Loading API keys' })).toBeInTheDocument()
    expect(screen.queryByRole('table')).not.toBeInTheDocument()
    expect(screen.queryByText('No API keys yet')).not.toBeInTheDocument()
  })

  it("says the server can't be reached and retries on demand", async () => {
    let attempts = 0
    stubFetch(
      storeRoutes(() => {
        attempts += 1
        return attempts === 1 ? unreachable() : json(200, { data: [KEY] })
      }),
    )
    const { user } = renderApp('/store/demo/settings/api')

    const alert = await screen.findByRole('alert')
    expect(within(alert).getByRole('heading', { name: "Can't reach the server" })).toBeInTheDocument()
    expect(alert).toHaveTextContent('Check your connection, then press Retry.')
    expect(alert).not.toHaveTextContent("Can't reach the server.")

    await user.click(within(alert).getByRole('button', { name: 'Retry' }))
    expect(await screen.findByRole('row', { name: /Mobile App Integration/ })).toBeInTheDocument()
    expect(attempts).toBe(2)
  })

  it('shows "Store not found" for a store the admin is not a member of', async () => {
    stubFetch({
      ...storeRoutes(() => apiError(404, 'not_found', 'Store not found')),
      'GET /stores/other/api-keys': () => apiError(404, 'not_found', 'Store not found'),
    })
    renderApp('/store/other/settings/api')

    expect(await screen.findByRole('heading', { name: 'Store not found', level: 1 })).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Go to your stores' })).toHaveAttribute('href', '/')
  })
})
