import { afterEach, describe, expect, it, vi } from 'vitest'
import { api } from './api-client'

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('api client', () => {
  it('sends the Deskflow-CSRF header with every request, so the server lets its cookie requests change things', async () => {
    const fetchMock = vi.fn(async () => new Response(null, { status: 204 }))
    vi.stubGlobal('fetch', fetchMock)
    await api.get('/stores')
    await api.post('/stores/demo/webhooks/wh_1/rotate-secret')
    await api.patch('/stores/demo/api-keys/key_1', { activated: false })
    await api.delete('/stores/demo/api-keys/key_1')
    expect(fetchMock).toHaveBeenCalledTimes(4)
    for (const [, init] of fetchMock.mock.calls as unknown as Array<[string, RequestInit]>) {
      expect(init.headers).toMatchObject({ 'Deskflow-CSRF': '1' })
      expect(init.credentials).toBe('same-origin')
    }
  })
})
