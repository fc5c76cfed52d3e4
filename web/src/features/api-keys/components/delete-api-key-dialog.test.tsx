import { describe, expect, it } from 'vitest'
import { screen, within } from '@testing-library/react'
import { renderApp, waitForKeys } from '@/testing/render-app'
import { json, makeApiKey, stubFetch, storeRoutes } from '@/testing/fetch-stub'

const KEY = makeApiKey({ id: 'key_del1', description: 'Mobile App Integration' })
const OTHER = makeApiKey({ id: 'key_keep1', description: 'Warehouse Sync' })

describe('Deleting an API key', () => {
  it('asks for confirmation and calls DELETE only after "Delete" is confirmed', async () => {
    let list = [KEY, OTHER]
    const stub = stubFetch({
      ...storeRoutes(() => json(200, { data: list })),
      'DELETE /stores/demo/api-keys/key_del1': () => {
        list = [OTHER]
        return json(204)
      },
    })
    const { user } = renderApp('/store/demo/settings/api')
    await waitForKeys()

    await user.click(screen.getByRole('button', { name: 'Delete Mobile App Integration' }))
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete “Mobile App Integration”?' })
    expect(dialog).toHaveTextContent('Integrations using this key stop working immediately')
    expect(stub.callsTo('DELETE', '/stores/demo/api-keys/key_del1')).toHaveLength(0)

    await user.click(within(dialog).getByRole('button', { name: 'Delete' }))

    expect(await screen.findByText('API key deleted')).toBeInTheDocument()
    expect(stub.callsTo('DELETE', '/stores/demo/api-keys/key_del1')).toHaveLength(1)
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
    expect(screen.queryByRole('row', { name: /Mobile App Integration/ })).not.toBeInTheDocument()
    expect(screen.getByRole('row', { name: /Warehouse Sync/ })).toBeInTheDocument()
  })

  it('"Cancel" keeps the key and sends nothing', async () => {
    const stub = stubFetch(storeRoutes(() => json(200, { data: [KEY] })))
    const { user } = renderApp('/store/demo/settings/api')
    await waitForKeys()

    await user.click(screen.getByRole('button', { name: 'Delete Mobile App Integration' }))
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete “Mobile App Integration”?' })
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))

    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
    expect(stub.calls.filter((c) => c.method === 'DELETE')).toHaveLength(0)
    expect(screen.getByRole('row', { name: /Mobile App Integration/ })).toBeInTheDocument()
  })
})
