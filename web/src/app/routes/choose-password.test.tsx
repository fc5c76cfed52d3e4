import { describe, expect, it } from 'vitest'
import { screen, waitFor } from '@testing-library/react'
import { ADMIN, STORES, apiError, json, stubFetch } from '@/testing/fetch-stub'
import { renderApp } from '@/testing/render-app'

const CHOOSE_FIRST = 'Choose a new password first: you signed in with a one-time password'

/** A server where the admin's password is a one-time password until POST /auth/password replaces it. */
function oneTimeServer() {
  let oneTime = true
  const refusedUntilChosen = (body: unknown) => () => (oneTime ? apiError(403, 'password_change_required', CHOOSE_FIRST) : json(200, body))
  const stub = stubFetch({
    'POST /auth/login': () =>
      json(200, { ...ADMIN, token: 'jwt', expiresAt: new Date(Date.now() + 3600_000).toISOString(), passwordChangeRequired: oneTime }),
    'GET /auth/me': () => json(200, { ...ADMIN, passwordChangeRequired: oneTime }),
    'GET /stores': refusedUntilChosen(STORES),
    'GET /stores/demo/api-keys': refusedUntilChosen({ data: [] }),
    'GET /stores/demo/webhooks': refusedUntilChosen({ data: [] }),
    'POST /auth/password': ({ body }) => {
      const { currentPassword } = body as { currentPassword: string }
      if (currentPassword !== 'Pw0neTimeAbCdEfGhIjK')
        return apiError(403, 'invalid_password', 'Current password is incorrect', [
          { field: 'currentPassword', message: 'Current password is incorrect' },
        ])
      oneTime = false
      return json(204)
    },
    'POST /auth/logout': () => json(204),
  })
  return stub
}

describe('Choose your password, after signing in with a one-time password', () => {
  it('comes before anything else, cannot be walked around, then goes where the admin was heading', async () => {
    const stub = oneTimeServer()
    const { user, router } = renderApp('/login?from=%2Fstore%2Fdemo%2Fsettings%2Fwebhooks')
    await user.type(await screen.findByLabelText('Email'), 'admin@example.com')
    await user.type(screen.getByLabelText('Password'), 'Pw0neTimeAbCdEfGhIjK')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    expect(await screen.findByRole('heading', { name: 'Choose your password', level: 1 })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/choose-password')
    expect(screen.getByText('admin@example.com')).toBeInTheDocument()
    // Nothing of the store was asked for: the page came first.
    expect(stub.callsTo('GET', '/stores')).toHaveLength(0)

    // Another page of the app leads back here.
    await router.navigate('/store/demo/settings/api')
    await waitFor(() => expect(router.state.location.pathname).toBe('/choose-password'))
    expect(new URLSearchParams(router.state.location.search).get('from')).toBe('/store/demo/settings/api')
    expect(screen.getByRole('heading', { name: 'Choose your password', level: 1 })).toBeInTheDocument()
    expect(stub.callsTo('GET', '/stores')).toHaveLength(0)

    await user.type(screen.getByLabelText('One-time password'), 'not the one I was given')
    await user.type(screen.getByLabelText('New password'), 'my very own password')
    await user.type(screen.getByLabelText('Confirm new password'), 'my very own password')
    await user.click(screen.getByRole('button', { name: 'Save and continue' }))
    await waitFor(() => expect(screen.getByLabelText('One-time password')).toHaveAccessibleDescription(/Current password is incorrect\./))
    expect(router.state.location.pathname).toBe('/choose-password')

    await user.clear(screen.getByLabelText('One-time password'))
    await user.type(screen.getByLabelText('One-time password'), 'Pw0neTimeAbCdEfGhIjK')
    await user.click(screen.getByRole('button', { name: 'Save and continue' }))
    expect(await screen.findByRole('heading', { name: 'API Keys', level: 1 })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/store/demo/settings/api')
    expect(await screen.findByText('Password saved. Welcome to Deskflow!')).toBeInTheDocument()
    expect(stub.callsTo('POST', '/auth/password').at(-1)!.body).toEqual({
      currentPassword: 'Pw0neTimeAbCdEfGhIjK',
      newPassword: 'my very own password',
    })
  })

  it('goes where the sign-in was heading once chosen', async () => {
    oneTimeServer()
    const { user, router } = renderApp('/login?from=%2Fstore%2Fdemo%2Fsettings%2Fwebhooks')
    await user.type(await screen.findByLabelText('Email'), 'admin@example.com')
    await user.type(screen.getByLabelText('Password'), 'Pw0neTimeAbCdEfGhIjK')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    await user.type(await screen.findByLabelText('One-time password'), 'Pw0neTimeAbCdEfGhIjK')
    await user.type(screen.getByLabelText('New password'), 'my very own password')
    await user.type(screen.getByLabelText('Confirm new password'), 'my very own password')
    await user.click(screen.getByRole('button', { name: 'Save and continue' }))
    expect(await screen.findByRole('heading', { name: 'Webhooks', level: 1 })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/store/demo/settings/webhooks')
  })

  it('a page opened afresh while the password is still one-time leads to it, remembering that page', async () => {
    oneTimeServer()
    const { router } = renderApp('/store/demo/settings/webhooks')
    expect(await screen.findByRole('heading', { name: 'Choose your password', level: 1 })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/choose-password')
    expect(new URLSearchParams(router.state.location.search).get('from')).toBe('/store/demo/settings/webhooks')
  })

  it('lets the admin sign out instead', async () => {
    const stub = oneTimeServer()
    const { user, router } = renderApp('/choose-password')
    await screen.findByRole('heading', { name: 'Choose your password', level: 1 })
    await user.click(screen.getByRole('button', { name: 'Sign out' }))
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/login')
    expect(stub.callsTo('POST', '/auth/logout')).toHaveLength(1)
  })

  it('sends an admin who has nothing to choose on to where they were heading', async () => {
    stubFetch({
      'GET /auth/me': () => json(200, ADMIN),
      'GET /stores': () => json(200, STORES),
      'GET /stores/demo/api-keys': () => json(200, { data: [] }),
    })
    const { router } = renderApp('/choose-password?from=%2Fstore%2Fdemo%2Fsettings%2Fapi')
    expect(await screen.findByRole('heading', { name: 'API Keys', level: 1 })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/store/demo/settings/api')
  })
})
