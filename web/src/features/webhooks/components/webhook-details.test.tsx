import { describe, expect, it, vi } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import type { Delivery, Webhook } from '@deskflow/shared'
import { renderApp } from '@/testing/render-app'
import {
  apiError,
  json,
  makeAttempt,
  makeDelivery,
  makeWebhook,
  stubFetch,
  webhookStoreRoutes,
  type StubRequest,
} from '@/testing/fetch-stub'

const HOOK = makeWebhook({
  id: 'wh_det1',
  url: 'https://erp.example.com/hooks',
  events: ['order.created'],
  secretLast4: 'Q7xZ',
  createdAt: '2026-11-01T08:00:00.000Z',
})
const BASE = '/stores/demo/webhooks/wh_det1'

const FAILED = makeDelivery({
  id: 'whd_fail1',
  messageId: 'msg_fail1',
  status: 'pending',
  attemptCount: 2,
  nextAttemptAt: new Date(Date.now() + 5 * 60_000).toISOString(),
  attempts: [
    makeAttempt({
      number: 1,
      statusCode: 500,
      responseBody: 'Internal Server Error',
      responseHeaders: { 'x-trace': 'abc123' },
      durationMs: 812,
      error: null,
    }),
    makeAttempt({ number: 2, statusCode: null, responseHeaders: {}, responseBody: '', durationMs: 10_000, error: 'Timed out after 10 s' }),
  ],
})
const TEST = makeDelivery({ id: 'whd_test1', messageId: 'msg_test1', status: 'succeeded', test: true })
const GAVE_UP = makeDelivery({ id: 'whd_gone1', messageId: 'msg_gone1', status: 'failed', attemptCount: 8, nextAttemptAt: null })

type Routes = Parameters<typeof stubFetch>[0]

function detailRoutes(
  webhook: () => Webhook,
  deliveries: (request: StubRequest) => { data: Delivery[]; nextCursor: string | null },
  extra: Routes = {},
): Routes {
  return {
    ...webhookStoreRoutes(() => json(200, { data: [webhook()] })),
    [`GET ${BASE}`]: () => json(200, webhook()),
    [`GET ${BASE}/deliveries`]: (request) => json(200, deliveries(request)),
    ...extra,
  }
}

async function openDetails() {
  const app = renderApp('/store/demo/settings/webhooks/wh_det1')
  await screen.findByRole('heading', { name: HOOK.url, level: 1 })
  await waitFor(() => expect(screen.queryByRole('status', { name: 'Loading deliveries' })).not.toBeInTheDocument())
  return app
}

function factOf(term: string) {
  return screen.getByText(term, { selector: 'dt' }).nextElementSibling as HTMLElement
}

describe('Webhook details', () => {
  it('shows the facts, the masked secret and a breadcrumb back to the list', async () => {
    stubFetch(
      detailRoutes(
        () => HOOK,
        () => ({ data: [], nextCursor: null }),
      ),
    )
    const { user, router } = await openDetails()

    expect(factOf('ID')).toHaveTextContent('wh_det1')
    expect(factOf('URL')).toHaveTextContent(HOOK.url)
    expect(factOf('Event')).toHaveTextContent('Order Create')
    expect(factOf('Status')).toHaveTextContent('Active')
    expect(factOf('Created')).toHaveTextContent(/Nov 1, 2026/)
    expect(factOf('Signing secret')).toHaveTextContent('whsec_••••••••Q7xZ')
    expect(factOf('Last delivery')).toHaveTextContent('No deliveries yet')
    expect(within(screen.getByRole('region', { name: 'Deliveries' })).getByText('No deliveries yet')).toBeInTheDocument()

    const breadcrumb = screen.getByRole('navigation', { name: 'Breadcrumb' })
    await user.click(within(breadcrumb).getByRole('link', { name: 'Webhooks' }))
    await waitFor(() => expect(router.state.location.pathname).toBe('/store/demo/settings/webhooks'))
  })

  it('lists deliveries with status, test badge and next retry, expands the attempts, and redelivers one', async () => {
    const stub = stubFetch(
      detailRoutes(
        () => HOOK,
        () => ({ data: [FAILED, TEST, GAVE_UP], nextCursor: null }),
        {
          [`POST ${BASE}/deliveries/whd_gone1/redeliver`]: () => json(202, { ...GAVE_UP, status: 'pending' }),
          [`POST ${BASE}/deliveries/whd_fail1/retry`]: () => json(202, FAILED),
        },
      ),
    )
    const { user } = await openDetails()

    const table = screen.getByRole('table', { name: 'Deliveries' })
    const failed = within(table).getByRole('row', { name: /msg_fail1/ })
    expect(within(failed).getByText('Pending')).toBeInTheDocument()
    expect(within(failed).getByRole('cell', { name: 'Order Create order.created' })).toBeInTheDocument()
    expect(within(failed).getByText('2', { selector: 'td' })).toBeInTheDocument()
    expect(within(failed).getByText('Timed out after 10 s')).toBeInTheDocument()
    expect(within(failed).getByText('in 5 minutes')).toBeInTheDocument()
    const test = within(table).getByRole('row', { name: /msg_test1/ })
    expect(within(test).getByText('Succeeded')).toBeInTheDocument()
    expect(within(test).getByText('Test')).toBeInTheDocument()
    expect(within(failed).queryByText('Test')).not.toBeInTheDocument()

    expect(screen.queryByRole('list', { name: 'Attempts for whd_fail1' })).not.toBeInTheDocument()
    const expand = within(failed).getByRole('button', { name: 'Show attempts for whd_fail1' })
    await user.click(expand)
    expect(expand).toHaveAccessibleName('Hide attempts for whd_fail1')
    expect(expand).toHaveAttribute('aria-expanded', 'true')
    const attempts = within(screen.getByRole('list', { name: 'Attempts for whd_fail1' })).getAllByRole('listitem')
    expect(attempts).toHaveLength(2)
    expect(attempts[0]).toHaveTextContent('Attempt 1')
    expect(attempts[0]).toHaveTextContent('HTTP 500')
    expect(attempts[0]).toHaveTextContent('812 ms')
    expect(within(attempts[0]!).getByRole('region', { name: 'Request headers' })).toHaveTextContent('webhook-id: msg_test')
    expect(within(attempts[0]!).getByRole('region', { name: 'Request body' })).toHaveTextContent('"type": "order.created"')
    expect(within(attempts[0]!).getByRole('region', { name: 'Response headers' })).toHaveTextContent('x-trace: abc123')
    expect(within(attempts[0]!).getByRole('region', { name: 'Response body' })).toHaveTextContent('Internal Server Error')
    expect(attempts[1]).toHaveTextContent('Attempt 2')
    expect(attempts[1]).toHaveTextContent('Error: Timed out after 10 s')
    expect(attempts[1]).toHaveTextContent('No response received.')

    // Still queued, or a Send Dummy test: nothing to redeliver.
    expect(within(failed).queryByRole('button', { name: 'Redeliver' })).not.toBeInTheDocument()
    expect(within(test).queryByRole('button', { name: 'Redeliver' })).not.toBeInTheDocument()
    const gaveUp = within(table).getByRole('row', { name: /msg_gone1/ })
    await user.click(within(gaveUp).getByRole('button', { name: 'Redeliver' }))
    expect(await screen.findByText('Delivery queued')).toBeInTheDocument()
    expect(stub.callsTo('POST', `${BASE}/deliveries/whd_gone1/redeliver`)).toHaveLength(1)
    expect(stub.calls.filter((c) => c.path.endsWith('/redeliver'))).toHaveLength(1)

    // Waiting for its next attempt: sent now on request; a test or a delivery that gave up has no such action.
    expect(within(test).queryByRole('button', { name: /Retry/ })).not.toBeInTheDocument()
    expect(within(gaveUp).queryByRole('button', { name: /Retry/ })).not.toBeInTheDocument()
    await user.click(within(failed).getByRole('button', { name: 'Retry msg_fail1 now' }))
    expect(await screen.findByText('Sending it now')).toBeInTheDocument()
    expect(stub.callsTo('POST', `${BASE}/deliveries/whd_fail1/retry`)).toHaveLength(1)
  })

  it('filters the log by status and loads older deliveries with the cursor', async () => {
    const older = makeDelivery({ id: 'whd_old1', messageId: 'msg_old1' })
    const stub = stubFetch(
      detailRoutes(
        () => HOOK,
        ({ query }) => {
          if (query.status === 'failed') return { data: [], nextCursor: null }
          return query.cursor === 'cur_2' ? { data: [older], nextCursor: null } : { data: [TEST], nextCursor: 'cur_2' }
        },
      ),
    )
    const { user } = await openDetails()

    expect(screen.queryByRole('row', { name: /msg_old1/ })).not.toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Load more' }))
    expect(await screen.findByRole('row', { name: /msg_old1/ })).toBeInTheDocument()
    expect(screen.getByRole('row', { name: /msg_test1/ })).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument()
    expect(stub.callsTo('GET', `${BASE}/deliveries`).map((c) => c.query)).toEqual([{ limit: '20' }, { limit: '20', cursor: 'cur_2' }])

    const filter = screen.getByRole('group', { name: 'Filter by status' })
    expect(within(filter).getByRole('radio', { name: 'All' })).toBeChecked()
    await user.click(within(filter).getByRole('radio', { name: 'Failed' }))
    expect(await screen.findByText('No failed deliveries')).toBeInTheDocument()
    expect(stub.callsTo('GET', `${BASE}/deliveries`).at(-1)?.query).toEqual({ limit: '20', status: 'failed' })
  })

  it('polls the log every 5 seconds while the page is open', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    try {
      const stub = stubFetch(
        detailRoutes(
          () => HOOK,
          () => ({ data: [TEST], nextCursor: null }),
        ),
      )
      const { router } = await openDetails()
      const count = () => stub.callsTo('GET', `${BASE}/deliveries`).length
      const before = count()

      await vi.advanceTimersByTimeAsync(5_000)
      await waitFor(() => expect(count()).toBe(before + 1))

      await router.navigate('/store/demo/settings/webhooks')
      await screen.findByRole('heading', { name: 'Webhooks', level: 1 })
      const after = count()
      await vi.advanceTimersByTimeAsync(15_000)
      expect(count()).toBe(after)
    } finally {
      vi.useRealTimers()
    }
  })

  it('pauses and resumes with PATCH, then offers to send the events held meanwhile', async () => {
    let current: Webhook = HOOK
    const stub = stubFetch(
      detailRoutes(
        () => current,
        () => ({ data: [], nextCursor: null }),
        {
          [`PATCH ${BASE}`]: ({ body }) => {
            const { status } = body as { status: 'active' | 'paused' }
            // Three orders arrived while paused.
            current = { ...current, status, heldCount: status === 'active' ? 3 : 0 }
            return json(200, current)
          },
          [`POST ${BASE}/replay`]: () => {
            current = { ...current, heldCount: 0 }
            return json(202, { queued: 3 })
          },
        },
      ),
    )
    const { user } = await openDetails()

    await user.click(screen.getByRole('button', { name: 'Pause' }))
    expect(await screen.findByText('Webhook paused')).toBeInTheDocument()
    expect(factOf('Status')).toHaveTextContent('Paused')
    expect(screen.getByText(/Paused: new events are kept, not sent/)).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Pause' })).not.toBeInTheDocument()

    await user.click(screen.getByRole('button', { name: 'Resume' }))
    expect(await screen.findByText('Webhook resumed')).toBeInTheDocument()
    expect(factOf('Status')).toHaveTextContent('Active')
    expect(stub.callsTo('PATCH', BASE).map((c) => c.body)).toEqual([{ status: 'paused' }, { status: 'active' }])

    await user.click(screen.getByRole('button', { name: 'Send 3 held events' }))
    expect(await screen.findByText('Queued 3 deliveries')).toBeInTheDocument()
    expect(stub.callsTo('POST', `${BASE}/replay`).map((c) => c.body)).toEqual([{ since: HOOK.createdAt, include: ['held'] }])
    await waitFor(() => expect(screen.queryByRole('button', { name: /held event/ })).not.toBeInTheDocument())
  })

  it('replays failed deliveries since a chosen time, 24 hours ago by default', async () => {
    const stub = stubFetch(
      detailRoutes(
        () => HOOK,
        () => ({ data: [], nextCursor: null }),
        { [`POST ${BASE}/replay`]: () => json(202, { queued: 2 }) },
      ),
    )
    const { user } = await openDetails()

    await user.click(screen.getByRole('button', { name: 'Replay failed…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Replay failed deliveries' })
    const since = within(dialog).getByLabelText('Failed since')
    const defaultSince = new Date((since as HTMLInputElement).value).getTime()
    expect(Math.abs(defaultSince - (Date.now() - 24 * 3600_000))).toBeLessThan(2 * 60_000)

    await user.clear(since)
    await user.type(since, '2026-11-19T09:30')
    await user.click(within(dialog).getByRole('button', { name: 'Replay' }))

    expect(await screen.findByText('Queued 2 deliveries')).toBeInTheDocument()
    expect(stub.callsTo('POST', `${BASE}/replay`).map((c) => c.body)).toEqual([
      { since: new Date('2026-11-19T09:30').toISOString(), include: ['failed'] },
    ])
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
  })

  it('deletes after confirmation and goes back to the list', async () => {
    let list: Webhook[] = [HOOK]
    const stub = stubFetch({
      ...detailRoutes(
        () => HOOK,
        () => ({ data: [], nextCursor: null }),
      ),
      'GET /stores/demo/webhooks': () => json(200, { data: list }),
      [`DELETE ${BASE}`]: () => {
        list = []
        return json(204)
      },
    })
    const { user, router } = await openDetails()

    await user.click(screen.getByRole('button', { name: 'Delete' }))
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete webhook?' })
    expect(dialog).toHaveTextContent(HOOK.url)
    expect(stub.callsTo('DELETE', BASE)).toHaveLength(0)
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }))

    expect(await screen.findByText('Webhook deleted')).toBeInTheDocument()
    await waitFor(() => expect(router.state.location.pathname).toBe('/store/demo/settings/webhooks'))
    expect(await screen.findByText('No webhooks yet')).toBeInTheDocument()
    expect(stub.callsTo('DELETE', BASE)).toHaveLength(1)
  })

  it('shows the signing secret after the password, with the error at the password field', async () => {
    const secret = 'whsec_FullSigningSecret0000000000Q7xZ'
    const stub = stubFetch(
      detailRoutes(
        () => HOOK,
        () => ({ data: [], nextCursor: null }),
        {
          [`POST ${BASE}/reveal-secret`]: ({ body }) =>
            (body as { password: string }).password === 'right-password'
              ? json(200, { id: HOOK.id, secret, previousSecretExpiresAt: null })
              : apiError(403, 'invalid_password', 'Password is incorrect', [{ field: 'password', message: 'Password is incorrect' }]),
        },
      ),
    )
    const { user } = await openDetails()

    await user.click(screen.getByRole('button', { name: 'Show signing secret' }))
    const dialog = await screen.findByRole('dialog', { name: 'Confirm your password' })
    const password = within(dialog).getByLabelText('Password')
    await user.type(password, 'wrong')
    await user.click(within(dialog).getByRole('button', { name: 'Show secret' }))
    await waitFor(() => expect(password).toHaveAccessibleDescription('Password is incorrect'))
    expect(screen.queryByText(secret)).not.toBeInTheDocument()

    await user.clear(password)
    await user.type(password, 'right-password')
    await user.click(within(dialog).getByRole('button', { name: 'Show secret' }))

    expect(await screen.findByText(secret)).toBeInTheDocument()
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(stub.callsTo('POST', `${BASE}/reveal-secret`).map((c) => c.body)).toEqual([
      { password: 'wrong' },
      { password: 'right-password' },
    ])

    await user.click(screen.getByRole('button', { name: 'Hide signing secret' }))
    expect(screen.queryByText(secret)).not.toBeInTheDocument()
  })

  it('rotates the secret after a confirmation about the 24-hour overlap and shows the new one once', async () => {
    const secret = 'whsec_RotatedSecret000000000000000N3w1'
    const until = new Date(Date.now() + 24 * 3600_000).toISOString()
    let current: Webhook = HOOK
    const stub = stubFetch(
      detailRoutes(
        () => current,
        () => ({ data: [], nextCursor: null }),
        {
          [`POST ${BASE}/rotate-secret`]: () => {
            current = { ...current, secretLast4: 'N3w1', previousSecretExpiresAt: until }
            return json(200, { id: HOOK.id, secret, previousSecretExpiresAt: until })
          },
        },
      ),
    )
    const { user } = await openDetails()

    await user.click(screen.getByRole('button', { name: 'Rotate secret' }))
    const confirm = await screen.findByRole('alertdialog', { name: 'Rotate signing secret?' })
    expect(confirm).toHaveTextContent('keeps signing too, for 24 hours')
    expect(stub.callsTo('POST', `${BASE}/rotate-secret`)).toHaveLength(0)
    await user.click(within(confirm).getByRole('button', { name: 'Rotate' }))

    const shown = await screen.findByRole('dialog', { name: 'New signing secret' })
    expect(within(shown).getByLabelText('New signing secret')).toHaveValue(secret)
    expect(within(shown).getByText(/previous secret also signs until/)).toBeInTheDocument()
    await user.click(within(shown).getByRole('button', { name: 'Copy new signing secret' }))
    expect(await navigator.clipboard.readText()).toBe(secret)
    await user.click(within(shown).getByRole('button', { name: 'Done' }))

    expect(screen.queryByText(secret)).not.toBeInTheDocument()
    await waitFor(() => expect(factOf('Signing secret')).toHaveTextContent('whsec_••••••••N3w1'))
    expect(factOf('Signing secret')).toHaveTextContent(/previous secret also signs until/)
  })

  it('says "Webhook not found" for an unknown id', async () => {
    stubFetch({
      ...webhookStoreRoutes(() => json(200, { data: [] })),
      'GET /stores/demo/webhooks/wh_gone1': () => apiError(404, 'not_found', 'Webhook not found'),
    })
    renderApp('/store/demo/settings/webhooks/wh_gone1')

    expect(await screen.findByRole('heading', { name: 'Webhook not found', level: 1 })).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Back to webhooks' })).toHaveAttribute('href', '/store/demo/settings/webhooks')
  })
})
