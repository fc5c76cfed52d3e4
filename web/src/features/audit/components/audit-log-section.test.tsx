import { describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import type { AuditEntry } from '@deskflow/shared'
import { renderApp, waitForKeys } from '@/testing/render-app'
import { json, makeApiKey, storeRoutes, stubFetch, type StubRequest } from '@/testing/fetch-stub'
import { detailLines } from './audit-entry'

let seq = 0
function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  seq += 1
  return {
    id: `aud_${seq}`,
    action: 'api_key.created',
    actor: { id: 'adm_test', email: 'admin@example.com' },
    targetType: 'api_key',
    targetId: 'key_mobile',
    targetLabel: 'Mobile app',
    metadata: {},
    ip: '203.0.113.7',
    createdAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    ...overrides,
  }
}

const EDITED = entry({
  action: 'api_key.updated',
  metadata: {
    before: { description: 'Mobile app', permissions: ['read_orders'], activated: true },
    after: { description: 'Mobile app', permissions: ['read_orders', 'write_orders'], activated: true },
  },
})
const REVEALED = entry({ action: 'api_key.secret_revealed', actor: null })
const HOOK = entry({
  action: 'webhook.created',
  targetType: 'webhook',
  targetId: 'wh_erp',
  targetLabel: 'https://erp.example.com/hooks',
  metadata: { url: 'https://erp.example.com/hooks', event: 'order.created' },
  ip: null,
})

type Page = { data: AuditEntry[]; nextCursor: string | null }

function auditRoutes(answer: (request: StubRequest) => Page) {
  return {
    ...storeRoutes(() => json(200, { data: [makeApiKey({ id: 'key_mobile', description: 'Mobile app' })], nextCursor: null })),
    'GET /stores/demo/audit-log': (request: StubRequest) => json(200, answer(request)),
  }
}

async function openLog(path = '/store/demo/settings/audit-log') {
  const app = renderApp(path)
  await screen.findByRole('heading', { name: 'Audit log', level: 1 })
  await waitFor(() => expect(screen.queryByRole('status', { name: 'Loading the audit log' })).not.toBeInTheDocument())
  return app
}

describe('Audit log', () => {
  it('lists who did what to which target, from where, and what changed', async () => {
    stubFetch(auditRoutes(() => ({ data: [EDITED, REVEALED, HOOK], nextCursor: null })))
    await openLog()
    const table = screen.getByRole('table', { name: 'Audit log' })
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows).toHaveLength(3)

    expect(within(rows[0]!).getByText('Key edited')).toBeInTheDocument()
    expect(within(rows[0]!).getByRole('link', { name: 'History of API key “Mobile app”' })).toHaveAttribute(
      'href',
      '/store/demo/settings/audit-log?targetId=key_mobile',
    )
    expect(within(rows[0]!).getByText('admin@example.com')).toBeInTheDocument()
    expect(within(rows[0]!).getByText('203.0.113.7')).toBeInTheDocument()
    // Only what changed.
    expect(within(rows[0]!).getByText('Permissions: read_orders → read_orders, write_orders')).toBeInTheDocument()
    expect(within(rows[0]!).queryByText(/Description/)).not.toBeInTheDocument()
    expect(within(rows[0]!).getByText('5 minutes ago')).toBeInTheDocument()

    expect(within(rows[1]!).getByText('Secret shown')).toBeInTheDocument()
    expect(within(rows[1]!).getByText('Removed admin')).toBeInTheDocument()

    expect(within(rows[2]!).getByText('Webhook created')).toBeInTheDocument()
    expect(within(rows[2]!).getByText('Webhook')).toBeInTheDocument()
    expect(within(rows[2]!).getByText('Event: order.created')).toBeInTheDocument()
    expect(within(rows[2]!).getByText('Unknown')).toBeInTheDocument()
  })

  it('filters by action and by kind of target, in the address and in the request', async () => {
    const { calls, callsTo } = stubFetch(
      auditRoutes((request) => ({
        data: [EDITED, REVEALED, HOOK].filter(
          (e) =>
            (!request.query.action || e.action === request.query.action) &&
            (!request.query.targetType || e.targetType === request.query.targetType),
        ),
        nextCursor: null,
      })),
    )
    const { user, router } = await openLog()
    await user.selectOptions(screen.getByRole('combobox', { name: 'Action' }), 'Secret shown')
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Audit log' })).getAllByRole('row')).toHaveLength(2))
    expect(router.state.location.search).toBe('?action=api_key.secret_revealed')
    expect(callsTo('GET', '/stores/demo/audit-log').at(-1)!.query).toMatchObject({ action: 'api_key.secret_revealed', limit: '50' })

    await user.selectOptions(screen.getByRole('combobox', { name: 'Action' }), 'All actions')
    await user.selectOptions(screen.getByRole('combobox', { name: 'About' }), 'Webhooks')
    await waitFor(() => expect(screen.queryByText('Secret shown', { selector: 'td' })).not.toBeInTheDocument())
    expect(screen.getByText('Webhook created', { selector: 'td' })).toBeInTheDocument()
    expect(calls.at(-1)!.query).toEqual({ limit: '50', targetType: 'webhook' })

    await user.selectOptions(screen.getByRole('combobox', { name: 'Action' }), 'Key deleted')
    expect(await screen.findByText('No entries match these filters')).toBeInTheDocument()
    await user.click(screen.getByRole('link', { name: 'Show every entry' }))
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Audit log' })).getAllByRole('row')).toHaveLength(4))
  })

  it("opens a key's history from its row, and leaves it for the whole log", async () => {
    const { callsTo } = stubFetch(
      auditRoutes((request) => ({
        data: [EDITED, REVEALED, HOOK].filter((e) => !request.query.targetId || e.targetId === request.query.targetId),
        nextCursor: null,
      })),
    )
    const { user, router } = renderApp('/store/demo/settings/api')
    await waitForKeys()
    await user.click(screen.getByRole('link', { name: 'History of Mobile app' }))
    expect(await screen.findByText('“Mobile app”')).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/store/demo/settings/audit-log')
    expect(callsTo('GET', '/stores/demo/audit-log').at(-1)!.query.targetId).toBe('key_mobile')
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Audit log' })).getAllByRole('row')).toHaveLength(3))

    await user.click(screen.getByRole('button', { name: 'Show every target' }))
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Audit log' })).getAllByRole('row')).toHaveLength(4))
    expect(screen.queryByText('“Mobile app”')).not.toBeInTheDocument()
  })

  it('loads older entries page by page', async () => {
    const older = entry({
      action: 'api_key.deleted',
      targetLabel: 'Old key',
      targetId: 'key_old',
      metadata: { description: 'Old key', key: 'dfk_x' },
    })
    const { callsTo } = stubFetch(
      auditRoutes((request) =>
        request.query.before === 'c1' ? { data: [older], nextCursor: null } : { data: [EDITED], nextCursor: 'c1' },
      ),
    )
    const { user } = await openLog()
    await user.click(screen.getByRole('button', { name: 'Load more' }))
    expect(await screen.findByText('Key deleted', { selector: 'td' })).toBeInTheDocument()
    expect(screen.getByText('API key: dfk_x')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument()
    expect(callsTo('GET', '/stores/demo/audit-log').map((c) => c.query.before)).toEqual([undefined, 'c1'])
  })

  it("names a team change's member by email, says what changed, and filters the team's actions", async () => {
    const added = entry({
      action: 'member.added',
      targetType: 'member',
      targetId: 'adm_dev',
      targetLabel: 'dev@example.com',
      metadata: { email: 'dev@example.com', role: 'developer', newAdmin: true },
    })
    const changed = entry({
      action: 'member.role_changed',
      targetType: 'member',
      targetId: 'adm_dev',
      targetLabel: 'dev@example.com',
      metadata: { email: 'dev@example.com', before: { role: 'developer' }, after: { role: 'owner' } },
    })
    const { callsTo } = stubFetch(
      auditRoutes((request) => ({
        data: [changed, added, EDITED].filter(
          (e) =>
            (!request.query.action || e.action === request.query.action) &&
            (!request.query.targetType || e.targetType === request.query.targetType),
        ),
        nextCursor: null,
      })),
    )
    const { user } = await openLog()
    const rows = within(screen.getByRole('table', { name: 'Audit log' }))
      .getAllByRole('row')
      .slice(1)
    expect(within(rows[0]!).getByText('Member role changed')).toBeInTheDocument()
    expect(within(rows[0]!).getByRole('link', { name: 'History of Member “dev@example.com”' })).toHaveAttribute(
      'href',
      '/store/demo/settings/audit-log?targetId=adm_dev',
    )
    expect(within(rows[0]!).getByText('Role: developer → owner')).toBeInTheDocument()
    expect(within(rows[1]!).getByText('Member added')).toBeInTheDocument()
    expect(within(rows[1]!).getByText('Role: developer')).toBeInTheDocument()
    expect(within(rows[1]!).getByText('New admin: yes')).toBeInTheDocument()
    // The email is the target's name, not repeated in the details.
    expect(within(rows[1]!).queryByText(/^Email:/)).not.toBeInTheDocument()

    const action = screen.getByRole('combobox', { name: 'Action' })
    expect(within(action).getByRole('group', { name: 'Team' })).toHaveTextContent('Member addedMember role changedMember removed')
    await user.selectOptions(action, 'Member removed')
    expect(callsTo('GET', '/stores/demo/audit-log').at(-1)!.query.action).toBe('member.removed')
    await user.selectOptions(action, 'All actions')
    await user.selectOptions(screen.getByRole('combobox', { name: 'About' }), 'Members')
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Audit log' })).getAllByRole('row')).toHaveLength(3))
    expect(callsTo('GET', '/stores/demo/audit-log').at(-1)!.query.targetType).toBe('member')
  })

  it('says so when nothing is recorded yet', async () => {
    stubFetch(auditRoutes(() => ({ data: [], nextCursor: null })))
    await openLog()
    expect(screen.getByText('Nothing recorded yet')).toBeInTheDocument()
  })
})

describe('detailLines', () => {
  it('says "No change" for an edit that changed nothing, and formats values', () => {
    expect(detailLines({ targetLabel: 'k', metadata: { before: { activated: true }, after: { activated: true } } })).toEqual(['No change'])
    expect(
      detailLines({
        targetLabel: 'k',
        metadata: { before: { activated: true, allowedIps: [] }, after: { activated: false, allowedIps: ['10.0.0.0/8'] } },
      }),
    ).toEqual(['Active: yes → no', 'Allowed IPs: none → 10.0.0.0/8'])
    expect(detailLines({ targetLabel: 'k', metadata: { gracePeriod: '24h', somethingNew: { a: 1 } } })).toEqual([
      'Old secret valid for: 24h',
      'somethingNew: {"a":1}',
    ])
  })
})
