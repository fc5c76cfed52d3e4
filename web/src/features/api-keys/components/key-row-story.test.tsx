import { describe, expect, it } from 'vitest'
import { screen, within, waitFor } from '@testing-library/react'
import { PERMISSIONS, type CreatedApiKey } from '@deskflow/shared'
import { json, makeApiKey, stubFetch, storeRoutes } from '@/testing/fetch-stub'
import { renderApp, waitForKeys } from '@/testing/render-app'
import { permissionChips, reviewHints } from './key-facts'

const DAY = 86_400_000
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString()

function rowOf(description: string) {
  return screen.getByRole('row', { name: new RegExp(description) })
}

describe('an API key row tells its story without opening Edit', () => {
  it('shows the permissions as chips, created and expiry dates, and the review hints', async () => {
    stubFetch(
      storeRoutes(() =>
        json(200, {
          data: [
            makeApiKey({ description: 'Shop sync', permissions: ['read_orders', 'write_orders', 'read_products'], createdAt: ago(2) }),
            makeApiKey({ description: 'Everything', permissions: [...PERMISSIONS], createdAt: ago(1) }),
            makeApiKey({ description: 'Nothing yet', permissions: [], createdAt: ago(1) }),
            makeApiKey({
              description: 'Forgotten',
              permissions: ['read_products'],
              createdAt: ago(200),
              secretCreatedAt: ago(120),
              lastUsedAt: ago(45),
              expiresAt: ago(3),
            }),
          ],
          nextCursor: null,
        }),
      ),
    )
    renderApp('/store/demo/settings/api')
    await waitForKeys()

    const sync = rowOf('Shop sync')
    expect(
      within(within(sync).getByRole('list', { name: 'Permissions of Shop sync' }))
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Orders: read & write', 'Products: read'])
    expect(within(sync).getByText(/^Created/)).toBeInTheDocument()
    expect(within(sync).queryByText(/Unused/)).not.toBeInTheDocument()

    expect(within(rowOf('Everything')).getByRole('listitem')).toHaveTextContent('Full access')
    expect(within(rowOf('Nothing yet')).getByText('No permissions')).toBeInTheDocument()
    expect(within(rowOf('Nothing yet')).queryByRole('list')).not.toBeInTheDocument()

    const forgotten = rowOf('Forgotten')
    expect(within(forgotten).getByText('Unused 30+ days')).toBeInTheDocument()
    expect(within(forgotten).getByText('Secret 90+ days old')).toBeInTheDocument()
    expect(within(forgotten).getByText(/Expired/, { selector: '.cell-sub' })).toBeInTheDocument()
  })

  it('says until when the old secret still works after a regeneration with a grace period', async () => {
    const until = new Date(Date.now() + 30 * 60_000).toISOString()
    stubFetch(
      storeRoutes(() => json(200, { data: [makeApiKey({ description: 'Rolled', previousSecretExpiresAt: until })], nextCursor: null })),
    )
    renderApp('/store/demo/settings/api')
    await waitForKeys()
    const badge = within(rowOf('Rolled')).getByText(/Old secret valid until/)
    expect(badge.querySelector('time')).toHaveAttribute('dateTime', until)
  })

  it('regenerates the secret from its own row action, the new secret shown once', async () => {
    const key = makeApiKey({ id: 'key_roll', description: 'Roll me' })
    const stub = stubFetch({
      ...storeRoutes(() => json(200, { data: [key], nextCursor: null })),
      'POST /stores/demo/api-keys/key_roll/regenerate-secret': () =>
        json(200, { id: 'key_roll', secret: 'dfs_BrandNewSecret000000000000000000000000000000Zz9Q', previousSecretExpiresAt: null }),
    })
    const { user } = renderApp('/store/demo/settings/api')
    await waitForKeys()
    await user.click(within(rowOf('Roll me')).getByRole('button', { name: 'Regenerate the secret of Roll me' }))
    const dialog = await screen.findByRole('dialog', { name: 'Regenerate the secret of “Roll me”' })
    await user.click(within(dialog).getByRole('radio', { name: 'Keep working for 1 hour' }))
    await user.click(within(dialog).getByRole('button', { name: 'Regenerate secret' }))
    const confirm = await screen.findByRole('alertdialog', { name: 'Regenerate secret?' })
    expect(confirm).not.toHaveTextContent('Edit dialog')
    await user.click(within(confirm).getByRole('button', { name: 'Regenerate' }))
    expect(await within(dialog).findByDisplayValue('dfs_BrandNewSecret000000000000000000000000000000Zz9Q')).toBeInTheDocument()
    expect(stub.callsTo('POST', '/stores/demo/api-keys/key_roll/regenerate-secret')[0]!.body).toEqual({ gracePeriod: '1h' })
  })
})

describe('guard rails for minimum permissions', () => {
  const CREATED: CreatedApiKey = {
    id: 'key_g1',
    description: 'Bare key',
    key: 'dfk_Guard00000000000000000000AbCd',
    secret: 'dfs_Guard0000000000000000000000000000000000000WxYz',
    permissions: [],
    activated: true,
    expiresAt: null,
    allowedIps: [],
    rateLimitPerMinute: 600,
  }

  it('asks before saving a new key with no permission; Cancel sends nothing, confirming saves', async () => {
    const stub = stubFetch({
      ...storeRoutes(() => json(200, { data: [], nextCursor: null })),
      'POST /stores/demo/api-keys': () => json(201, CREATED),
    })
    const { user } = renderApp('/store/demo/settings/api')
    await waitForKeys()
    await user.click(await screen.findByRole('button', { name: 'Add API' }))
    const dialog = await screen.findByRole('dialog', { name: 'Add API key' })
    await user.type(within(dialog).getByLabelText('Description'), 'Bare key')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    let confirm = await screen.findByRole('alertdialog', { name: 'Save without permissions?' })
    expect(confirm).toHaveTextContent('“Bare key” will be refused on every call')
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }))
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument())
    expect(stub.callsTo('POST', '/stores/demo/api-keys')).toHaveLength(0)

    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    confirm = await screen.findByRole('alertdialog', { name: 'Save without permissions?' })
    await user.click(within(confirm).getByRole('button', { name: 'Save without permissions' }))
    await waitFor(() => expect(stub.callsTo('POST', '/stores/demo/api-keys')).toHaveLength(1))
    expect(stub.callsTo('POST', '/stores/demo/api-keys')[0]!.body).toMatchObject({ description: 'Bare key', permissions: [] })
  })

  it('warns while every write permission is ticked', async () => {
    stubFetch(storeRoutes(() => json(200, { data: [], nextCursor: null })))
    const { user } = renderApp('/store/demo/settings/api')
    await waitForKeys()
    await user.click(await screen.findByRole('button', { name: 'Add API' }))
    const dialog = await screen.findByRole('dialog', { name: 'Add API key' })
    const warning = () => within(dialog).queryByText(/can change every order, customer, product and category/)
    await user.click(within(dialog).getByRole('checkbox', { name: 'Select all' }))
    expect(warning()).toBeInTheDocument()
    await user.click(within(dialog).getByRole('checkbox', { name: 'Write Orders' }))
    expect(warning()).not.toBeInTheDocument()
  })
})

describe('key facts', () => {
  it('groups permissions by resource in the contract order', () => {
    expect(permissionChips(['write_products', 'read_customers'])).toEqual(['Customers: read', 'Products: write'])
    expect(permissionChips([])).toEqual([])
  })

  it('flags a never-used key by its creation, and an old secret whatever the use', () => {
    const now = Date.now()
    // Days before `now` exactly: the thresholds are inclusive.
    const ago = (days: number) => new Date(now - days * DAY).toISOString()
    expect(reviewHints({ lastUsedAt: null, createdAt: ago(30), secretCreatedAt: ago(30) }, now)).toEqual({ unused: true, oldSecret: false })
    expect(reviewHints({ lastUsedAt: ago(1), createdAt: ago(29), secretCreatedAt: ago(29) }, now)).toEqual({
      unused: false,
      oldSecret: false,
    })
    expect(reviewHints({ lastUsedAt: ago(1), createdAt: ago(400), secretCreatedAt: ago(90) }, now)).toEqual({
      unused: false,
      oldSecret: true,
    })
  })
})

describe('keys due for review', () => {
  it('asks the server for the keys due for review, and says when there are none', async () => {
    const stub = stubFetch(
      storeRoutes((request) =>
        json(200, {
          data: request.query.review === 'true' ? [] : [makeApiKey({ description: 'Busy key', lastUsedAt: new Date().toISOString() })],
          nextCursor: null,
        }),
      ),
    )
    const { user } = renderApp('/store/demo/settings/api')
    await waitForKeys()
    await user.click(screen.getByRole('radio', { name: 'Due for review' }))
    expect(await screen.findByText('No key is due for review')).toBeInTheDocument()
    expect(stub.callsTo('GET', '/stores/demo/api-keys').at(-1)!.query).toMatchObject({ review: 'true' })
    await user.click(screen.getByRole('radio', { name: 'All keys' }))
    expect(await screen.findByText('Busy key')).toBeInTheDocument()
  })
})

describe('a key that leaves the list while its dialog is open', () => {
  it('keeps the regenerated secret on screen when the key is no longer due for review', async () => {
    let regenerated = false
    const old = makeApiKey({ id: 'key_old1', description: 'Old secret', secretCreatedAt: ago(120) })
    stubFetch({
      ...storeRoutes((request) =>
        // Once regenerated, its secret is new: the review list no longer has it.
        json(200, { data: request.query.review === 'true' && regenerated ? [] : [old], nextCursor: null }),
      ),
      'POST /stores/demo/api-keys/key_old1/regenerate-secret': () => {
        regenerated = true
        return json(200, { id: 'key_old1', secret: 'dfs_KeptOnScreen0000000000000000000000000000000Q9', previousSecretExpiresAt: null })
      },
    })
    const { user } = renderApp('/store/demo/settings/api')
    await waitForKeys()
    await user.click(screen.getByRole('radio', { name: 'Due for review' }))
    await user.click(await screen.findByRole('button', { name: 'Regenerate the secret of Old secret' }))
    const dialog = await screen.findByRole('dialog', { name: 'Regenerate the secret of “Old secret”' })
    await user.click(within(dialog).getByRole('button', { name: 'Regenerate secret' }))
    await user.click(
      within(await screen.findByRole('alertdialog', { name: 'Regenerate secret?' })).getByRole('button', { name: 'Regenerate' }),
    )
    expect(await within(dialog).findByDisplayValue('dfs_KeptOnScreen0000000000000000000000000000000Q9')).toBeInTheDocument()
    // The list has refreshed without the key, and the dialog is still there.
    expect(await screen.findByText('No key is due for review')).toBeInTheDocument()
    expect(screen.getByRole('dialog', { name: 'Regenerate the secret of “Old secret”' })).toBeInTheDocument()
  })
})
