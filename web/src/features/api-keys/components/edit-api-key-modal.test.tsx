import { describe, expect, it } from 'vitest'
import { screen, within } from '@testing-library/react'
import type { ApiKey } from '@deskflow/shared'
import { renderApp, waitForKeys } from '@/testing/render-app'
import { json, makeApiKey, stubFetch, storeRoutes } from '@/testing/fetch-stub'

const KEY = makeApiKey({ id: 'key_edit1', description: 'Mobile App Integration', permissions: ['read_orders'], activated: true })

describe('Editing an API key', () => {
  it('opens prefilled, sends the changes with PATCH and confirms with a toast', async () => {
    let current: ApiKey = KEY
    const stub = stubFetch({
      ...storeRoutes(() => json(200, { data: [current] })),
      'PATCH /stores/demo/api-keys/key_edit1': ({ body }) => {
        current = { ...current, ...(body as Partial<ApiKey>) }
        return json(200, current)
      },
    })
    const { user } = renderApp('/store/demo/settings/api')
    await waitForKeys()

    await user.click(screen.getByRole('button', { name: 'Edit Mobile App Integration' }))
    const dialog = await screen.findByRole('dialog', { name: 'Edit API key' })
    const description = within(dialog).getByLabelText('Description')
    expect(description).toHaveValue('Mobile App Integration')
    expect(within(dialog).getByRole('checkbox', { name: 'Read Orders' })).toBeChecked()
    expect(within(dialog).getByRole('checkbox', { name: 'Write Orders' })).not.toBeChecked()

    await user.clear(description)
    await user.type(description, 'iOS App')
    await user.click(within(dialog).getByRole('checkbox', { name: 'Write Orders' }))
    await user.click(within(dialog).getByRole('switch', { name: 'Activated' }))
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    expect(await screen.findByText('API key updated')).toBeInTheDocument()
    expect(stub.callsTo('PATCH', '/stores/demo/api-keys/key_edit1')[0]?.body).toEqual({
      description: 'iOS App',
      permissions: ['read_orders', 'write_orders'],
      activated: false,
    })
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    const row = await screen.findByRole('row', { name: /iOS App/ })
    expect(within(row).getByText('Inactive')).toBeInTheDocument()
  })

  it('regenerates the secret with the chosen grace period after a confirmation and shows it once', async () => {
    const expires = new Date(Date.now() + 3600_000).toISOString()
    const stub = stubFetch({
      ...storeRoutes(() => json(200, { data: [KEY] })),
      'POST /stores/demo/api-keys/key_edit1/regenerate-secret': () =>
        json(200, { id: KEY.id, secret: 'dfs_Regenerated000000000000000000000000000000Q1w2', previousSecretExpiresAt: expires }),
    })
    const { user } = renderApp('/store/demo/settings/api')
    await waitForKeys()

    await user.click(screen.getByRole('button', { name: 'Edit Mobile App Integration' }))
    const dialog = await screen.findByRole('dialog', { name: 'Edit API key' })
    expect(within(dialog).getByRole('radio', { name: 'Stop working immediately' })).toBeChecked()
    await user.click(within(dialog).getByRole('radio', { name: 'Keep working for 1 hour' }))
    await user.click(within(dialog).getByRole('button', { name: 'Regenerate secret' }))

    const confirm = await screen.findByRole('alertdialog', { name: 'Regenerate secret?' })
    expect(confirm).toHaveTextContent('keeps working for 1 hour')
    expect(stub.calls.filter((c) => c.path.endsWith('/regenerate-secret'))).toHaveLength(0)
    await user.click(within(confirm).getByRole('button', { name: 'Regenerate' }))

    expect(await within(dialog).findByLabelText('New API Secret')).toHaveValue('dfs_Regenerated000000000000000000000000000000Q1w2')
    expect(within(dialog).getByText(/Previous secret works until/)).toBeInTheDocument()
    expect(within(dialog).getByText(/only time the secret is shown without your password/)).toBeInTheDocument()
    expect(stub.callsTo('POST', '/stores/demo/api-keys/key_edit1/regenerate-secret')[0]?.body).toEqual({ gracePeriod: '1h' })
  })
})
