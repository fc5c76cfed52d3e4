import { describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import type { ApiKey } from '@deskflow/shared'
import { apiError, json, makeApiKey, stubFetch, storeRoutes, CREATED_KEY } from '@/testing/fetch-stub'
import { renderApp, waitForKeys } from '@/testing/render-app'

const CREATED = CREATED_KEY

/** A datetime-local value about a year ahead, and the instant it means in the test's time zone. */
const NEXT_YEAR = `${new Date().getFullYear() + 1}-05-01T12:30`
const NEXT_YEAR_ISO = new Date(NEXT_YEAR).toISOString()

async function openCreate() {
  const app = renderApp('/store/demo/settings/api')
  await waitForKeys()
  await app.user.click(await screen.findByRole('button', { name: 'Add API' }))
  const dialog = await screen.findByRole('dialog', { name: 'Add API key' })
  await app.user.type(within(dialog).getByLabelText('Description'), 'ERP')
  // A permission, so Save does not stop to confirm a key without any.
  await app.user.click(within(dialog).getByRole('checkbox', { name: 'Read Orders' }))
  await app.user.click(within(dialog).getByRole('button', { name: 'Advanced access settings' }))
  return { ...app, dialog }
}

async function openEdit(description: string) {
  const app = renderApp('/store/demo/settings/api')
  await waitForKeys()
  await app.user.click(screen.getByRole('button', { name: `Edit ${description}` }))
  const dialog = await screen.findByRole('dialog', { name: 'Edit API key' })
  return { ...app, dialog }
}

describe('Access settings in the Add dialog', () => {
  it('sends the expiry as an ISO instant, the trimmed non-blank IP lines and the rate limit', async () => {
    const stub = stubFetch({ ...storeRoutes(() => json(200, { data: [] })), 'POST /stores/demo/api-keys': () => json(201, CREATED) })
    const { user, dialog } = await openCreate()

    await user.type(within(dialog).getByLabelText('Expires'), NEXT_YEAR)
    await user.type(within(dialog).getByLabelText('Allowed IP addresses'), '  203.0.113.7 {Enter}{Enter}2001:db8::/32{Enter}   ')
    const rate = within(dialog).getByLabelText('Rate limit (requests per minute)')
    expect(rate).toHaveValue(600)
    await user.clear(rate)
    await user.type(rate, '120')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    await within(dialog).findByText('Copy your credentials now')
    expect(stub.callsTo('POST', '/stores/demo/api-keys')[0]?.body).toEqual({
      description: 'ERP',
      permissions: ['read_orders'],
      activated: true,
      expiresAt: NEXT_YEAR_ISO,
      allowedIps: ['203.0.113.7', '2001:db8::/32'],
      rateLimitPerMinute: 120,
    })
  })

  it('refuses an expiry in the past and a rate limit out of range without asking the server', async () => {
    const stub = stubFetch(storeRoutes(() => json(200, { data: [] })))
    const { user, dialog } = await openCreate()

    await user.type(within(dialog).getByLabelText('Expires'), '2020-01-01T10:00')
    const rate = within(dialog).getByLabelText('Rate limit (requests per minute)')
    await user.clear(rate)
    await user.type(rate, '0')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    expect(within(dialog).getByLabelText('Expires')).toHaveAccessibleDescription(/Choose a time in the future/)
    expect(rate).toHaveAccessibleDescription(/whole number from 1 to 100,000/)
    expect(stub.callsTo('POST', '/stores/demo/api-keys')).toHaveLength(0)
  })

  it("shows the server's allowedIps.N error at the IP field, naming the line it came from", async () => {
    const stub = stubFetch({
      ...storeRoutes(() => json(200, { data: [] })),
      'POST /stores/demo/api-keys': () =>
        apiError(422, 'validation_failed', 'allowedIps.1: "10.0.0.300" is not an IP address or CIDR range', [
          { field: 'allowedIps.1', message: '"10.0.0.300" is not an IP address or CIDR range' },
        ]),
    })
    const { user, dialog } = await openCreate()

    // A blank line between the entries: the server's index 1 is the textarea's line 3.
    await user.type(within(dialog).getByLabelText('Allowed IP addresses'), '203.0.113.7{Enter}{Enter}10.0.0.300')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    const field = within(dialog).getByLabelText('Allowed IP addresses')
    await waitFor(() => expect(field).toHaveAccessibleDescription(/Line 3: "10\.0\.0\.300" is not an IP address or CIDR range/))
    expect(field).toHaveAttribute('aria-invalid', 'true')
    expect(stub.callsTo('POST', '/stores/demo/api-keys')[0]?.body).toMatchObject({ allowedIps: ['203.0.113.7', '10.0.0.300'] })
  })
})

describe('Access settings in the Edit dialog', () => {
  it('opens the section when the key has settings and sends only the fields that changed', async () => {
    const expiresAt = new Date(Date.now() + 30 * 86400_000).toISOString()
    const key = makeApiKey({ id: 'key_acc1', description: 'Warehouse', expiresAt, allowedIps: ['203.0.113.7/32'], rateLimitPerMinute: 600 })
    let current: ApiKey = key
    const stub = stubFetch({
      ...storeRoutes(() => json(200, { data: [current] })),
      'PATCH /stores/demo/api-keys/key_acc1': ({ body }) => {
        current = { ...current, ...(body as Partial<ApiKey>) }
        return json(200, current)
      },
    })
    const { user, dialog } = await openEdit('Warehouse')

    expect(within(dialog).getByRole('button', { name: 'Advanced access settings' })).toHaveAttribute('aria-expanded', 'true')
    expect(within(dialog).getByLabelText('Allowed IP addresses')).toHaveValue('203.0.113.7/32')
    expect(within(dialog).getByLabelText('Expires')).not.toHaveValue('')

    const rate = within(dialog).getByLabelText('Rate limit (requests per minute)')
    await user.clear(rate)
    await user.type(rate, '1200')
    await user.click(within(dialog).getByRole('button', { name: 'Never expire' }))
    expect(within(dialog).getByLabelText('Expires')).toHaveValue('')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    expect(stub.callsTo('PATCH', '/stores/demo/api-keys/key_acc1').map((c) => c.body)).toEqual([
      { rateLimitPerMinute: 1200, expiresAt: null },
    ])
  })

  it('keeps an expired key editable: an untouched past expiry is neither checked nor sent', async () => {
    const key = makeApiKey({ id: 'key_old1', description: 'Old ERP', expiresAt: '2020-01-01T00:00:00.000Z' })
    let current: ApiKey = key
    const stub = stubFetch({
      ...storeRoutes(() => json(200, { data: [current] })),
      'PATCH /stores/demo/api-keys/key_old1': ({ body }) => {
        current = { ...current, ...(body as Partial<ApiKey>) }
        return json(200, current)
      },
    })
    const { user, dialog } = await openEdit('Old ERP')

    const description = within(dialog).getByLabelText('Description')
    await user.clear(description)
    await user.type(description, 'Legacy ERP')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    expect(stub.callsTo('PATCH', '/stores/demo/api-keys/key_old1').map((c) => c.body)).toEqual([{ description: 'Legacy ERP' }])
  })
})
