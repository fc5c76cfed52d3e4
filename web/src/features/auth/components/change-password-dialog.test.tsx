import { describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import { apiError, json, storeRoutes, stubFetch, unreachable, type StubRequest } from '@/testing/fetch-stub'
import { renderApp, waitForKeys } from '@/testing/render-app'

type Handler = (request: StubRequest) => Response | Promise<Response>

async function openDialog(change: Handler) {
  const stub = stubFetch({ ...storeRoutes(() => json(200, { data: [] })), 'POST /auth/password': change })
  const app = renderApp('/store/demo/settings/api')
  await waitForKeys()
  await app.user.click(screen.getByRole('button', { name: 'Change password' }))
  const dialog = await screen.findByRole('dialog', { name: 'Change password' })
  const field = (label: string) => within(dialog).getByLabelText(label)
  return { ...app, stub, dialog, field }
}

describe('Change password, from the header', () => {
  it('checks the new password twice, names the field the server refused, then says so and closes', async () => {
    let attempts = 0
    const { user, stub, dialog, field } = await openDialog(() =>
      ++attempts === 1
        ? apiError(403, 'invalid_password', 'Current password is incorrect', [
            { field: 'currentPassword', message: 'Current password is incorrect' },
          ])
        : json(204),
    )
    expect(dialog).toHaveAccessibleDescription(/every other browser or device signed in as you is signed out/)

    await user.type(field('Current password'), 'not my password')
    await user.type(field('New password'), 'a brand new password')
    await user.type(field('Confirm new password'), 'a brand new passwort')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(field('Confirm new password')).toHaveAccessibleDescription('This does not match the new password.')
    expect(field('Confirm new password')).toHaveAttribute('aria-invalid', 'true')
    expect(stub.callsTo('POST', '/auth/password')).toHaveLength(0)

    await user.clear(field('Confirm new password'))
    await user.type(field('Confirm new password'), 'a brand new password')
    expect(field('Confirm new password')).not.toHaveAttribute('aria-invalid')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(field('Current password')).toHaveAccessibleDescription('Current password is incorrect.'))
    expect(field('Current password')).toHaveFocus()
    expect(stub.callsTo('POST', '/auth/password').map((c) => c.body)).toEqual([
      { currentPassword: 'not my password', newPassword: 'a brand new password' },
    ])

    await user.clear(field('Current password'))
    expect(field('Current password')).not.toHaveAttribute('aria-invalid')
    await user.type(field('Current password'), 'my old password')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('Password changed')).toBeInTheDocument()
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    expect(stub.callsTo('POST', '/auth/password')[1]!.body).toEqual({
      currentPassword: 'my old password',
      newPassword: 'a brand new password',
    })

    // Opened again: empty, nothing typed before is kept.
    await user.click(screen.getByRole('button', { name: 'Change password' }))
    const again = await screen.findByRole('dialog', { name: 'Change password' })
    for (const label of ['Current password', 'New password', 'Confirm new password'])
      expect(within(again).getByLabelText(label)).toHaveValue('')
  })

  it('refuses a short new password, or the current one again, before asking the server', async () => {
    const { user, stub, dialog, field } = await openDialog(() => json(204))
    expect(field('New password')).toHaveAccessibleDescription('At least 12 characters.')
    await user.type(field('Current password'), 'my old password')
    await user.type(field('New password'), 'eleven char')
    await user.type(field('Confirm new password'), 'eleven char')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(field('New password')).toHaveAccessibleDescription(/Use at least 12 characters\./)

    await user.clear(field('New password'))
    await user.type(field('New password'), 'my old password')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(field('New password')).toHaveAccessibleDescription(/Choose a password other than your current one\./)
    expect(stub.callsTo('POST', '/auth/password')).toHaveLength(0)
  })

  it('shows a refusal the server names the new password for under it, and one naming no field beside the buttons', async () => {
    let attempts = 0
    const { user, dialog, field } = await openDialog(() =>
      ++attempts === 1
        ? apiError(422, 'validation_failed', 'newPassword: must NOT have fewer than 12 characters', [
            { field: 'newPassword', message: 'must NOT have fewer than 12 characters' },
          ])
        : unreachable(),
    )
    await user.type(field('Current password'), 'my old password')
    await user.type(field('New password'), 'a brand new password')
    await user.type(field('Confirm new password'), 'a brand new password')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(field('New password')).toHaveAccessibleDescription(/Must NOT have fewer than 12 characters\./))

    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent("Can't reach the server")
    expect(screen.getByRole('dialog', { name: 'Change password' })).toBeInTheDocument()
  })
})
