import { describe, expect, it } from 'vitest'
import { screen, within } from '@testing-library/react'
import { renderApp, waitForKeys } from '@/testing/render-app'
import { apiError, json, makeApiKey, stubFetch, storeRoutes } from '@/testing/fetch-stub'

const KEY = makeApiKey({ id: 'key_reveal1', description: 'Mobile App Integration', secretLast4: 'Wx7Q' })
const SECRET = 'dfs_FullSecret00000000000000000000000000000000Wx7Q'

describe('Revealing an API secret', () => {
  it('asks for the password, shows the field error on a wrong one, then shows and hides the secret', async () => {
    const stub = stubFetch({
      ...storeRoutes(() => json(200, { data: [KEY] })),
      'POST /stores/demo/api-keys/key_reveal1/reveal': ({ body }) =>
        (body as { password: string }).password === 'right-password'
          ? json(200, { id: KEY.id, secret: SECRET })
          : apiError(403, 'invalid_password', 'Password is incorrect', [{ field: 'password', message: 'Password is incorrect' }]),
    })
    const { user } = renderApp('/store/demo/settings/api')
    await waitForKeys()

    await user.click(screen.getByRole('button', { name: 'Show API secret for Mobile App Integration' }))
    const dialog = await screen.findByRole('dialog', { name: 'Confirm your password' })
    const password = within(dialog).getByLabelText('Password')
    expect(password).toHaveFocus()

    await user.type(password, 'wrong-password')
    await user.click(within(dialog).getByRole('button', { name: 'Show secret' }))
    expect(await within(dialog).findByText('Password is incorrect')).toBeInTheDocument()
    expect(password).toHaveAttribute('aria-invalid', 'true')
    expect(password).toHaveAccessibleDescription('Password is incorrect')
    expect(screen.queryByText(SECRET)).not.toBeInTheDocument()

    await user.clear(password)
    await user.type(password, 'right-password')
    await user.click(within(dialog).getByRole('button', { name: 'Show secret' }))

    const row = await screen.findByRole('row', { name: /Mobile App Integration/ })
    expect(await within(row).findByText(SECRET)).toBeInTheDocument()
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(stub.callsTo('POST', '/stores/demo/api-keys/key_reveal1/reveal').map((c) => c.body)).toEqual([
      { password: 'wrong-password' },
      { password: 'right-password' },
    ])

    await user.click(within(row).getByRole('button', { name: 'Copy API secret for Mobile App Integration' }))
    expect(await navigator.clipboard.readText()).toBe(SECRET)

    await user.click(within(row).getByRole('button', { name: 'Hide API secret for Mobile App Integration' }))
    expect(within(row).queryByText(SECRET)).not.toBeInTheDocument()
    expect(within(row).getByText('dfs_••••••••Wx7Q')).toBeInTheDocument()
  })

  it('closes with Escape without asking the server', async () => {
    const stub = stubFetch(storeRoutes(() => json(200, { data: [KEY] })))
    const { user } = renderApp('/store/demo/settings/api')
    await waitForKeys()

    await user.click(screen.getByRole('button', { name: 'Show API secret for Mobile App Integration' }))
    await screen.findByRole('dialog', { name: 'Confirm your password' })
    await user.keyboard('{Escape}')

    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(stub.calls.some((c) => c.path.endsWith('/reveal'))).toBe(false)
  })
})
