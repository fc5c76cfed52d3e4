import { describe, expect, it } from 'vitest'
import { screen, within } from '@testing-library/react'
import type { TestDeliveryResult } from '@deskflow/shared'
import { renderApp, waitForWebhooks } from '@/testing/render-app'
import { apiError, json, makeWebhook, stubFetch, webhookStoreRoutes } from '@/testing/fetch-stub'

const HOOK = makeWebhook({ id: 'wh_dummy1', url: 'https://erp.example.com/hooks' })

const REQUEST: TestDeliveryResult['request'] = {
  url: HOOK.url,
  headers: {
    'content-type': 'application/json',
    'webhook-id': 'msg_dummy1',
    'webhook-timestamp': '1795000000',
    'webhook-signature': 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
  },
  body: '{"type":"order.created","data":{"id":"ord_dummy"}}',
}

const OK: TestDeliveryResult = {
  deliveryId: 'whd_dummy1',
  ok: true,
  statusCode: 200,
  responseHeaders: { 'content-type': 'application/json', 'x-receiver': 'erp' },
  responseBody: '{"received":true}',
  responseTruncated: false,
  durationMs: 123,
  error: null,
  request: REQUEST,
}

/** Resolves the test call only when the test says so, to see the "Sending…" state. */
function deferred() {
  let resolve: (response: Response) => void = () => undefined
  const promise = new Promise<Response>((r) => (resolve = r))
  return { promise, resolve }
}

async function openSendDummy(results: (() => Response | Promise<Response>)[]) {
  let call = 0
  const stub = stubFetch({
    ...webhookStoreRoutes(() => json(200, { data: [HOOK] })),
    'POST /stores/demo/webhooks/wh_dummy1/test': () => results[Math.min(call++, results.length - 1)]!(),
  })
  const app = renderApp('/store/demo/settings/webhooks')
  await waitForWebhooks()
  await app.user.click(screen.getByRole('button', { name: `Send Dummy to ${HOOK.url}` }))
  const dialog = await screen.findByRole('dialog', { name: `Send Dummy — ${HOOK.url}` })
  return { ...app, stub, dialog }
}

describe('Send Dummy', () => {
  it('sends at once, shows "Sending…", then the status, response headers and body; the signed request on demand', async () => {
    const pending = deferred()
    const { user, stub, dialog } = await openSendDummy([() => pending.promise])

    expect(within(dialog).getByText(`POST ${HOOK.url}`)).toBeInTheDocument()
    expect(await within(dialog).findByText('Sending…')).toBeInTheDocument()
    pending.resolve(json(200, OK))

    const status = await within(dialog).findByText('HTTP 200 · 123 ms')
    expect(status).toHaveClass('term-ok')
    expect(within(dialog).queryByText('Sending…')).not.toBeInTheDocument()
    const headers = within(dialog).getByRole('region', { name: 'Response headers' })
    expect(headers).toHaveTextContent('content-type: application/json')
    expect(headers).toHaveTextContent('x-receiver: erp')
    expect(within(dialog).getByRole('region', { name: 'Response body' })).toHaveTextContent('"received": true')
    expect(within(dialog).queryByText('(truncated to 4 KB)')).not.toBeInTheDocument()
    expect(stub.callsTo('POST', '/stores/demo/webhooks/wh_dummy1/test')).toHaveLength(1)

    const request = within(dialog).getByRole('button', { name: 'Request' })
    expect(request).toHaveAttribute('aria-expanded', 'false')
    expect(within(dialog).queryByRole('region', { name: 'Request headers' })).not.toBeInTheDocument()
    await user.click(request)
    expect(request).toHaveAttribute('aria-expanded', 'true')
    expect(within(dialog).getByRole('region', { name: 'Request headers' })).toHaveTextContent(
      'webhook-signature: v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
    )
    expect(within(dialog).getByRole('region', { name: 'Request body' })).toHaveTextContent('"id": "ord_dummy"')
  })

  it('shows a failing status in red with the truncation note, and sends again on demand', async () => {
    const { user, stub, dialog } = await openSendDummy([
      () =>
        json(200, {
          ...OK,
          ok: false,
          statusCode: 500,
          durationMs: 88,
          responseBody: 'x'.repeat(4096),
          responseTruncated: true,
          error: 'The endpoint answered 500',
        }),
      () => json(200, OK),
    ])

    const status = await within(dialog).findByText('HTTP 500 · 88 ms')
    expect(status).toHaveClass('term-error')
    expect(within(dialog).getByText('(truncated to 4 KB)')).toBeInTheDocument()

    await user.click(within(dialog).getByRole('button', { name: 'Send again' }))
    expect(await within(dialog).findByText('HTTP 200 · 123 ms')).toBeInTheDocument()
    expect(stub.callsTo('POST', '/stores/demo/webhooks/wh_dummy1/test')).toHaveLength(2)
  })

  it('shows an error in words when nothing answered, without response sections', async () => {
    const { dialog } = await openSendDummy([
      () =>
        json(200, {
          ...OK,
          ok: false,
          statusCode: null,
          responseHeaders: {},
          responseBody: '',
          durationMs: 4,
          error: 'Connection refused by erp.example.com:443',
        }),
    ])

    const error = await within(dialog).findByText(/Connection refused by erp\.example\.com:443/)
    expect(error.closest('.term-line')).toHaveClass('term-error')
    expect(within(dialog).queryByText(/^HTTP/)).not.toBeInTheDocument()
    expect(within(dialog).queryByRole('region', { name: 'Response body' })).not.toBeInTheDocument()
  })

  it("shows the API's own error when the test could not be run", async () => {
    const { dialog } = await openSendDummy([() => apiError(404, 'not_found', 'Webhook not found')])

    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Webhook not found')
  })
})

describe('Send Dummy for a webhook of several events', () => {
  it('sends its first event at once, then the event chosen in the picker', async () => {
    const multi = makeWebhook({ id: 'wh_multi1', url: 'https://crm.example.com/hooks', events: ['customer.created', 'order.created'] })
    const stub = stubFetch({
      ...webhookStoreRoutes(() => json(200, { data: [multi] })),
      'POST /stores/demo/webhooks/wh_multi1/test': () => json(200, OK),
    })
    const { user } = renderApp('/store/demo/settings/webhooks')
    await waitForWebhooks()
    await user.click(screen.getByRole('button', { name: `Send Dummy to ${multi.url}` }))
    const dialog = await screen.findByRole('dialog', { name: `Send Dummy — ${multi.url}` })
    expect(await within(dialog).findByText('HTTP 200 · 123 ms')).toBeInTheDocument()
    expect(within(dialog).getByText('customer.created sample')).toBeInTheDocument()

    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Event' }), 'Order Create')
    await user.click(within(dialog).getByRole('button', { name: 'Send' }))
    expect(await within(dialog).findByText('order.created sample')).toBeInTheDocument()
    expect(stub.callsTo('POST', '/stores/demo/webhooks/wh_multi1/test').map((c) => c.body)).toEqual([
      { event: 'customer.created' },
      { event: 'order.created' },
    ])
  })
})
