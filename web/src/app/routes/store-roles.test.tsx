import { describe, expect, it } from 'vitest'
import { screen } from '@testing-library/react'
import { renderApp, waitForKeys } from '@/testing/render-app'
import { ADMIN, json, stubFetch } from '@/testing/fetch-stub'

function stubStoreAs(role: string) {
  stubFetch({
    'GET /auth/me': () => json(200, ADMIN),
    'GET /stores': () => json(200, { data: [{ key: 'demo', name: 'Demo Store', role }] }),
    'GET /stores/demo/api-keys': () => json(200, { data: [], nextCursor: null }),
  })
}

describe('a store role', () => {
  it('tells a viewer what they can do, on every page of the store', async () => {
    stubStoreAs('viewer')
    renderApp('/store/demo/settings/api')
    await waitForKeys()
    expect(screen.getByRole('note')).toHaveTextContent('You can view this store')
    expect(screen.getByRole('note')).toHaveTextContent('Changes and secrets need a developer or an owner')
  })

  it('says nothing to an owner or a developer', async () => {
    for (const role of ['owner', 'developer']) {
      stubStoreAs(role)
      const { unmount } = renderApp('/store/demo/settings/api')
      await waitForKeys()
      expect(screen.queryByRole('note')).not.toBeInTheDocument()
      unmount()
    }
  })
})
