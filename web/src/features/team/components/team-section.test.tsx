import { describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import type { AddedMember, Member, StoreRole } from '@deskflow/shared'
import { ADMIN, apiError, json, stubFetch, type StubRequest } from '@/testing/fetch-stub'
import { renderApp } from '@/testing/render-app'

const ME: Member = { adminId: 'adm_test', email: 'admin@example.com', role: 'owner', addedAt: '2026-10-01T09:00:00.000Z' }
const DEV: Member = { adminId: 'adm_dev', email: 'dev@example.com', role: 'developer', addedAt: '2026-11-02T09:00:00.000Z' }
const VIEWER: Member = { adminId: 'adm_view', email: 'viewer@example.com', role: 'viewer', addedAt: '2026-11-03T09:00:00.000Z' }

type Handler = (request: StubRequest) => Response | Promise<Response>

/** The store as `role` sees it, with these members; `extra` adds or replaces routes. */
function stubTeam(role: StoreRole, members: Member[], extra: Record<string, Handler> = {}) {
  return stubFetch({
    'GET /auth/me': () => json(200, ADMIN),
    'GET /stores': () => json(200, { data: [{ key: 'demo', name: 'Demo Store', role }] }),
    'GET /stores/demo/members': () => json(200, { data: members }),
    ...extra,
  })
}

async function openTeam() {
  const app = renderApp('/store/demo/settings/team')
  await screen.findByRole('heading', { name: 'Team', level: 1 })
  await waitFor(() => expect(screen.queryByRole('status', { name: 'Loading the team' })).not.toBeInTheDocument())
  return app
}

const rowOf = (email: string) => screen.getByRole('cell', { name: new RegExp(email) }).closest('tr')!

describe('Settings → Team', () => {
  it('lists every member with email, role and since when, and marks the signed-in admin', async () => {
    stubTeam('owner', [ME, DEV, VIEWER])
    await openTeam()
    const table = screen.getByRole('table', { name: 'Members' })
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows).toHaveLength(3)
    expect(rows[0]).toHaveTextContent('admin@example.com')
    expect(within(rows[0]!).getByText('You')).toBeInTheDocument()
    expect(within(rows[1]!).getByText('Developer')).toBeInTheDocument()
    expect(within(rows[2]!).getByText('Viewer')).toBeInTheDocument()
    expect(within(rows[1]!).getByRole('time')).toHaveAttribute('dateTime', DEV.addedAt)
    expect(screen.getByRole('link', { name: 'Team' })).toHaveAttribute('aria-current', 'page')
  })

  it('adds a new person: their one-time password is shown once, with Copy', async () => {
    const added: AddedMember = {
      adminId: 'adm_new',
      email: 'new@example.com',
      role: 'viewer',
      addedAt: '2026-11-20T10:00:00.000Z',
      password: 'Pw0neTimeAbCdEfGhIjK',
    }
    const stub = stubTeam('owner', [ME], { 'POST /stores/demo/members': () => json(201, added) })
    const { user } = await openTeam()
    await user.click(screen.getByRole('button', { name: 'Add member' }))
    const dialog = await screen.findByRole('dialog', { name: 'Add member' })
    await user.type(within(dialog).getByLabelText('Email'), '  new@example.com ')
    await user.click(within(dialog).getByRole('radio', { name: 'Viewer' }))
    expect(within(dialog).getByRole('radio', { name: 'Viewer' })).toHaveAccessibleDescription(/no changes, no secrets/)
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    await within(dialog).findByText('Copy their password now')
    expect(stub.callsTo('POST', '/stores/demo/members')[0]!.body).toEqual({ email: 'new@example.com', role: 'viewer' })
    expect(within(dialog).getByLabelText('One-time password')).toHaveValue(added.password)
    expect(within(dialog).getByRole('button', { name: 'Copy password' })).toBeInTheDocument()
    expect(within(dialog).getByText(/only time this password is shown/)).toBeInTheDocument()
    // Gone once the dialog closes: nothing else keeps it.
    await user.click(within(dialog).getByRole('button', { name: 'Done' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    expect(document.body.textContent).not.toContain(added.password)
  })

  it('adds an existing admin without any password to show', async () => {
    const added: AddedMember = { ...DEV, password: null }
    stubTeam('owner', [ME], { 'POST /stores/demo/members': () => json(201, added) })
    const { user } = await openTeam()
    await user.click(screen.getByRole('button', { name: 'Add member' }))
    const dialog = await screen.findByRole('dialog', { name: 'Add member' })
    expect(within(dialog).getByRole('radio', { name: 'Developer' })).toBeChecked()
    await user.type(within(dialog).getByLabelText('Email'), 'dev@example.com')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    await within(dialog).findByText('Member added')
    expect(within(dialog).getByText(/dev@example.com is a developer of this store/)).toBeInTheDocument()
    expect(within(dialog).queryByLabelText('One-time password')).not.toBeInTheDocument()
  })

  it('shows a missing email and the server’s "already a member" at the email field', async () => {
    const stub = stubTeam('owner', [ME, DEV], {
      'POST /stores/demo/members': () =>
        apiError(409, 'conflict', 'dev@example.com is already a member of this store', [
          { field: 'email', message: 'is already a member of this store' },
        ]),
    })
    const { user } = await openTeam()
    await user.click(screen.getByRole('button', { name: 'Add member' }))
    const dialog = await screen.findByRole('dialog', { name: 'Add member' })
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(within(dialog).getByLabelText('Email')).toHaveAccessibleDescription(/Enter the email address/)
    expect(stub.callsTo('POST', '/stores/demo/members')).toHaveLength(0)

    await user.type(within(dialog).getByLabelText('Email'), 'dev@example.com')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(within(dialog).getByLabelText('Email')).toHaveAccessibleDescription('Is already a member of this store.'))
    expect(within(dialog).getByLabelText('Email')).toHaveAttribute('aria-invalid', 'true')
  })

  it("changes a member's role in a dialog named after them", async () => {
    const stub = stubTeam('owner', [ME, DEV], {
      'PATCH /stores/demo/members/adm_dev': () => json(200, { ...DEV, role: 'owner' }),
    })
    const { user } = await openTeam()
    await user.click(within(rowOf('dev@example.com')).getByRole('button', { name: 'Change the role of dev@example.com' }))
    const dialog = await screen.findByRole('dialog', { name: 'Change the role of “dev@example.com”' })
    expect(within(dialog).getByRole('radio', { name: 'Developer' })).toBeChecked()
    await user.click(within(dialog).getByRole('radio', { name: 'Owner' }))
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    expect(stub.callsTo('PATCH', '/stores/demo/members/adm_dev')[0]!.body).toEqual({ role: 'owner' })
    expect(await screen.findByText('dev@example.com is now an owner')).toBeInTheDocument()
  })

  it('removes a member after a confirmation that quotes them', async () => {
    const stub = stubTeam('owner', [ME, DEV], { 'DELETE /stores/demo/members/adm_dev': () => json(204) })
    const { user } = await openTeam()
    await user.click(screen.getByRole('button', { name: 'Remove dev@example.com' }))
    const dialog = await screen.findByRole('alertdialog', { name: 'Remove “dev@example.com”?' })
    expect(stub.callsTo('DELETE', '/stores/demo/members/adm_dev')).toHaveLength(0)
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }))
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument())
    expect(stub.callsTo('DELETE', '/stores/demo/members/adm_dev')).toHaveLength(1)
    expect(await screen.findByText('dev@example.com removed')).toBeInTheDocument()
  })

  it("keeps the only owner's role and membership, and says why", async () => {
    const stub = stubTeam('owner', [ME, DEV])
    const { user } = await openTeam()
    const row = rowOf('admin@example.com')
    expect(within(row).getByText('The only owner: make another member an owner first', { selector: '.cell-sub' })).toBeVisible()
    for (const name of ['Change the role of admin@example.com', 'Remove admin@example.com']) {
      const button = within(row).getByRole('button', { name })
      expect(button).toHaveAttribute('aria-disabled', 'true')
      expect(button).toHaveAccessibleDescription('The only owner: make another member an owner first')
      await user.click(button)
    }
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
    expect(stub.calls.filter((c) => c.method !== 'GET')).toHaveLength(0)
    // With a second owner, either may go.
    expect(within(rowOf('dev@example.com')).getByRole('button', { name: 'Remove dev@example.com' })).not.toHaveAttribute('aria-disabled')
  })

  it('takes an owner who removed themselves out of the store', async () => {
    const other: Member = { ...DEV, role: 'owner' }
    stubTeam('owner', [ME, other], { 'DELETE /stores/demo/members/adm_test': () => json(204) })
    const { user, router } = await openTeam()
    await user.click(screen.getByRole('button', { name: 'Remove admin@example.com' }))
    const dialog = await screen.findByRole('alertdialog', { name: 'Remove “admin@example.com”?' })
    expect(dialog).toHaveTextContent('You lose access to this store at once')
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }))
    await waitFor(() => expect(router.state.location.pathname).toBe('/'))
  })

  it.each(['developer', 'viewer'] as const)('shows a %s the team read-only, with a note on why', async (role) => {
    stubTeam(role, [
      { ...ME, role: 'owner', adminId: 'adm_owner', email: 'owner@example.com' },
      { ...DEV, adminId: 'adm_test' },
    ])
    await openTeam()
    expect(screen.getByRole('table', { name: 'Members' })).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Add member' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /Change the role|Remove/ })).not.toBeInTheDocument()
    expect(screen.queryByRole('columnheader', { name: 'Actions' })).not.toBeInTheDocument()
    const note = screen.getAllByRole('note').find((n) => n.textContent?.includes('Only owners'))
    expect(note).toHaveTextContent(`You are a ${role} of this store`)
  })
})
