import { describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import { renderApp, waitForKeys } from '@/testing/render-app'
import { ADMIN, json, makeApiKey, makeDelivery, makeWebhook, stubFetch } from '@/testing/fetch-stub'

const KEY = makeApiKey({ id: 'key_role1', description: 'ERP' })
const HOOK = makeWebhook({ id: 'wh_role1', url: 'https://erp.example.com/hooks', heldCount: 2, status: 'active' })
const DISABLED_HOOK = makeWebhook({ id: 'wh_role2', url: 'https://old.example.com/hooks', status: 'disabled', disabledReason: 'Failing' })
const PENDING = makeDelivery({
  id: 'whd_role1',
  status: 'pending',
  attemptCount: 1,
  nextAttemptAt: new Date(Date.now() + 60_000).toISOString(),
})
const FAILED = makeDelivery({ id: 'whd_role2', status: 'failed', attemptCount: 8 })

function stubStoreAs(role: string) {
  return stubFetch({
    'GET /auth/me': () => json(200, ADMIN),
    'GET /stores': () => json(200, { data: [{ key: 'demo', name: 'Demo Store', role }] }),
    'GET /stores/demo/api-keys': () => json(200, { data: [KEY], nextCursor: null }),
    'GET /stores/demo/webhooks': () => json(200, { data: [HOOK, DISABLED_HOOK] }),
    'GET /stores/demo/webhooks/wh_role1': () => json(200, HOOK),
    'GET /stores/demo/webhooks/wh_role1/deliveries': () => json(200, { data: [PENDING, FAILED], nextCursor: null }),
  })
}

const CANT_CHANGE = 'Viewers can’t make changes'
const CANT_SEE_SECRETS = 'Viewers can’t see secrets'

/** Present, focusable, marked unavailable with the reason as its description, and inert. */
async function expectUnavailable(user: ReturnType<typeof renderApp>['user'], name: string | RegExp, reason: string) {
  for (const button of screen.getAllByRole('button', { name })) {
    expect(button, String(name)).toHaveAttribute('aria-disabled', 'true')
    expect(button, String(name)).not.toBeDisabled()
    expect(button, String(name)).toHaveAccessibleDescription(expect.stringContaining(reason))
    await user.click(button)
  }
  expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
  expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
}

async function openWebhook() {
  const app = renderApp('/store/demo/settings/webhooks/wh_role1')
  await screen.findByRole('heading', { name: HOOK.url, level: 1 })
  await screen.findByRole('button', { name: 'Redeliver' })
  return app
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

describe("a viewer's actions", () => {
  it('on API keys: adding, editing, regenerating, deleting and showing a secret are unavailable, with the reason; reads are not', async () => {
    const stub = stubStoreAs('viewer')
    const { user } = renderApp('/store/demo/settings/api')
    await waitForKeys()
    await expectUnavailable(user, 'Add API', CANT_CHANGE)
    for (const name of ['Edit ERP', 'Regenerate the secret of ERP', 'Delete ERP']) await expectUnavailable(user, name, CANT_CHANGE)
    await expectUnavailable(user, 'Show API secret for ERP', CANT_SEE_SECRETS)
    // Reading stays: the key itself, its usage and its history.
    expect(screen.getByRole('button', { name: 'Show API key for ERP' })).not.toHaveAttribute('aria-disabled')
    expect(screen.getByRole('button', { name: 'Usage for ERP' })).not.toHaveAttribute('aria-disabled')
    expect(screen.getByRole('link', { name: 'History of ERP' })).toBeInTheDocument()
    expect(stub.calls.filter((c) => c.method !== 'GET')).toHaveLength(0)
  })

  it('on webhooks: adding, Send Dummy, editing, deleting and re-enabling are unavailable, with the reason', async () => {
    stubStoreAs('viewer')
    const { user } = renderApp('/store/demo/settings/webhooks')
    await screen.findByRole('heading', { name: 'Webhooks', level: 1 })
    await screen.findByRole('link', { name: HOOK.url })
    await expectUnavailable(user, 'Add Webhook', CANT_CHANGE)
    for (const name of [/^Send Dummy to/, /^Edit https/, /^Delete https/, 'Re-enable']) await expectUnavailable(user, name, CANT_CHANGE)
    expect(screen.getByRole('link', { name: `Details of ${HOOK.url}` })).toBeInTheDocument()
  })

  it("on a webhook's page: every change, the signing secret, replays and redeliveries are unavailable, with the reason", async () => {
    const stub = stubStoreAs('viewer')
    const { user } = await openWebhook()
    for (const name of ['Send Dummy', 'Pause', 'Edit', 'Delete', 'Rotate secret', 'Send 2 held events', 'Replay failed…', 'Redeliver'])
      await expectUnavailable(user, name, CANT_CHANGE)
    await expectUnavailable(user, /^Retry .* now$/, CANT_CHANGE)
    await expectUnavailable(user, 'Show signing secret', CANT_SEE_SECRETS)
    expect(stub.calls.filter((c) => c.method !== 'GET')).toHaveLength(0)
  })

  it('shows the reason in a tooltip on hover', async () => {
    stubStoreAs('viewer')
    const { user } = renderApp('/store/demo/settings/api')
    await waitForKeys()
    await user.hover(screen.getByRole('button', { name: 'Delete ERP' }))
    await waitFor(() => expect(document.querySelector('.tooltip')).toHaveTextContent(`Delete: ${CANT_CHANGE}`))
  })
})

describe("an owner's actions", () => {
  it('are all available, and open their dialogs', async () => {
    stubStoreAs('owner')
    const { user } = renderApp('/store/demo/settings/api')
    await waitForKeys()
    for (const name of ['Add API', 'Edit ERP', 'Regenerate the secret of ERP', 'Delete ERP', 'Show API secret for ERP'])
      expect(screen.getByRole('button', { name })).not.toHaveAttribute('aria-disabled')
    await user.click(screen.getByRole('button', { name: 'Delete ERP' }))
    expect(await screen.findByRole('alertdialog', { name: 'Delete “ERP”?' })).toBeInTheDocument()
  })

  it("are all available on a webhook's page", async () => {
    stubStoreAs('owner')
    const { user } = await openWebhook()
    for (const name of [
      'Send Dummy',
      'Pause',
      'Edit',
      'Delete',
      'Rotate secret',
      'Send 2 held events',
      'Replay failed…',
      'Redeliver',
      'Show signing secret',
    ])
      expect(screen.getByRole('button', { name })).not.toHaveAttribute('aria-disabled')
    await user.click(screen.getByRole('button', { name: 'Edit' }))
    expect(await screen.findByRole('dialog')).toBeInTheDocument()
    expect(within(screen.getByRole('dialog')).getByRole('button', { name: 'Save' })).toBeInTheDocument()
  })
})
