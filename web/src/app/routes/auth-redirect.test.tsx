import { describe, expect, it } from 'vitest'
import { screen } from '@testing-library/react'
import { renderApp } from '@/testing/render-app'
import { ADMIN, STORES, apiError, json, stubFetch, unreachable } from '@/testing/fetch-stub'

describe('Signing in', () => {
  it('sends a signed-out admin to the login page and back to where they were after signing in', async () => {
    let signedIn = false
    const stub = stubFetch({
      'GET /auth/me': () => (signedIn ? json(200, ADMIN) : apiError(401, 'unauthorized', 'Sign in first')),
      'GET /stores': () => (signedIn ? json(200, STORES) : apiError(401, 'unauthorized', 'Sign in first')),
      'GET /stores/demo/api-keys': () => (signedIn ? json(200, { data: [] }) : apiError(401, 'unauthorized', 'Sign in first')),
      'GET /stores/demo/webhooks': () => (signedIn ? json(200, { data: [] }) : apiError(401, 'unauthorized', 'Sign in first')),
      'POST /auth/login': ({ body }) => {
        const { password } = body as { password: string }
        if (password !== 'correct horse') return apiError(401, 'unauthorized', 'Email or password is incorrect')
        signedIn = true
        return json(200, { ...ADMIN, token: 'jwt', expiresAt: new Date(Date.now() + 3600_000).toISOString() })
      },
    })
    const { user, router } = renderApp('/store/demo/settings/webhooks')

    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/login')
    expect(new URLSearchParams(router.state.location.search).get('from')).toBe('/store/demo/settings/webhooks')

    await user.type(screen.getByLabelText('Email'), 'admin@example.com')
    await user.type(screen.getByLabelText('Password'), 'wrong')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Email or password is incorrect')
    expect(router.state.location.pathname).toBe('/login')

    await user.clear(screen.getByLabelText('Password'))
    await user.type(screen.getByLabelText('Password'), 'correct horse')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    expect(await screen.findByRole('heading', { name: 'Webhooks', level: 1 })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/store/demo/settings/webhooks')
    expect(stub.callsTo('POST', '/auth/login').map((c) => c.body)).toEqual([
      { email: 'admin@example.com', password: 'wrong' },
      { email: 'admin@example.com', password: 'correct horse' },
    ])
  })

  it('explains a rate limit on the login form', async () => {
    stubFetch({
      'POST /auth/login': () =>
        json(429, { error: { code: 'rate_limited', message: 'Too many requests', requestId: 'r' } }, { 'Retry-After': '30' }),
    })
    const { user } = renderApp('/login')

    await user.type(await screen.findByLabelText('Email'), 'admin@example.com')
    await user.type(screen.getByLabelText('Password'), 'whatever')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('Too many sign-in attempts. Try again in 30 seconds.')
  })

  it('goes straight to the only store, and signs out to the login page', async () => {
    let signedIn = true
    const stub = stubFetch({
      'GET /auth/me': () => json(200, ADMIN),
      'GET /stores': () => json(200, STORES),
      'GET /stores/demo/api-keys': () => json(200, { data: [] }),
      'POST /auth/logout': () => {
        signedIn = false
        return json(204)
      },
    })
    const { user, router } = renderApp('/')

    expect(await screen.findByRole('heading', { name: 'API Keys', level: 1 })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/store/demo/settings/api')
    expect(await screen.findByText('admin@example.com')).toBeInTheDocument()

    const readsBefore = stub.calls.filter((c) => c.method === 'GET').length
    await user.click(screen.getByRole('button', { name: 'Sign out' }))
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument()
    expect(signedIn).toBe(false)
    expect(stub.callsTo('POST', '/auth/logout')).toHaveLength(1)
    // The signed-in pages are gone before the cache is cleared, so nothing refetches (into a 401).
    expect(stub.calls.filter((c) => c.method === 'GET')).toHaveLength(readsBefore)
    expect(await screen.findByText('Signed out')).toBeInTheDocument()
  })

  it('stays signed in, and says so, when the server cannot confirm the sign-out', async () => {
    let reachable = false
    const stub = stubFetch({
      'GET /auth/me': () => json(200, ADMIN),
      'GET /stores': () => json(200, STORES),
      'GET /stores/demo/api-keys': () => json(200, { data: [] }),
      'POST /auth/logout': () => (reachable ? json(204) : unreachable()),
    })
    const { user, router } = renderApp('/store/demo/settings/api')
    expect(await screen.findByRole('heading', { name: 'API Keys', level: 1 })).toBeInTheDocument()

    await user.click(screen.getByRole('button', { name: 'Sign out' }))
    expect(await screen.findByText(/Couldn't sign out: Can't reach the server\..*You are still signed in/)).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Sign in' })).not.toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/store/demo/settings/api')
    expect(screen.getByText('admin@example.com')).toBeInTheDocument()

    reachable = true
    await user.click(screen.getByRole('button', { name: 'Sign out' }))
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument()
    expect(stub.callsTo('POST', '/auth/logout')).toHaveLength(2)
  })

  it('counts a session that had already ended as signed out', async () => {
    stubFetch({
      'GET /auth/me': () => json(200, ADMIN),
      'GET /stores': () => json(200, STORES),
      'GET /stores/demo/api-keys': () => json(200, { data: [] }),
      'POST /auth/logout': () => apiError(401, 'unauthorized', 'Sign in to continue'),
    })
    const { user } = renderApp('/store/demo/settings/api')
    expect(await screen.findByRole('heading', { name: 'API Keys', level: 1 })).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Sign out' }))
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument()
  })
})
