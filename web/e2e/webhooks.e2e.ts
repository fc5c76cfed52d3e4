import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CreatedApiKey, Product } from '@deskflow/shared'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { adminPost, expectGone, expectPath, expectVisible, launchBrowser, newContext, screenshot, signIn } from './helpers'

/**
 * Steps 7–10 of the guide: add a webhook pointing at a real local receiver, see an
 * order made with an API key arrive and appear in the delivery log, Send Dummy and
 * read the answer in the terminal panel, then delete the webhook.
 */
const baseUrl = inject('baseUrl')

let browser: Browser
let context: BrowserContext
let page: Page
let receiver: http.Server
let receiverUrl = ''
const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = []

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      received.push({ headers: req.headers, body })
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ received: true, by: 'e2e receiver' }))
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`
  browser = await launchBrowser()
  context = await newContext(browser, baseUrl)
  page = await context.newPage()
  await signIn(page, inject('adminEmail'), inject('adminPassword'))
})

let keyId = ''

afterAll(async () => {
  // Leave the store as found: the other browser tests start from an empty key list.
  if (keyId) await page.evaluate((id) => fetch(`/stores/demo/api-keys/${id}`, { method: 'DELETE' }), keyId)
  await context?.close()
  await browser?.close()
  receiver?.close()
})

describe('Steps 7–10: webhooks', () => {
  it('Step 7: Settings → Webhooks shows the (empty) list', async () => {
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Webhooks' }).click()
    await expectPath(page, '/store/demo/settings/webhooks')
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Webhooks' }))
    await expectVisible(page.getByText('No webhooks yet'))
    await screenshot(page, 'webhooks-01-empty')
  })

  it('Step 8: Add Webhook with a URL and "Order Create"; it appears in the list', async () => {
    await page.getByRole('button', { name: 'Add Webhook' }).first().click()
    const dialog = page.getByRole('dialog', { name: 'Add webhook' })
    await dialog.getByLabel('Webhook URL').fill('not a url')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expectVisible(dialog.getByText(/absolute/i))
    await dialog.getByLabel('Webhook URL').fill(receiverUrl)
    // The guide's "Order Create" is ticked already; the other events can be added.
    expect(await dialog.getByRole('checkbox', { name: 'Order Create' }).isChecked()).toBe(true)
    await dialog.getByRole('button', { name: 'Save' }).click()
    const secret = dialog.getByLabel('Signing secret', { exact: true })
    await expectVisible(secret)
    expect(await secret.inputValue()).toMatch(/^whsec_/)
    await screenshot(page, 'webhooks-02-created')
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expectGone(dialog)
    const table = page.getByRole('table', { name: 'Webhooks' })
    await expectVisible(table.getByRole('link', { name: receiverUrl, exact: true }))
    await expectVisible(table.getByText('Order Create'))
    await expectVisible(table.getByText('Active'))
  })

  it('an order created with an API key arrives, signed, and shows in the delivery log', async () => {
    const key = await adminPost<CreatedApiKey>(page, '/stores/demo/api-keys', {
      description: 'Webhook e2e',
      permissions: ['read_products', 'write_orders'],
    })
    keyId = key.id
    const authorization = `Basic ${Buffer.from(`${key.key}:${key.secret}`).toString('base64')}`
    const products = (await (await fetch(`${baseUrl}/v1/products?limit=100`, { headers: { authorization } })).json()) as { data: Product[] }
    const product = products.data.find((p) => p.stock === null || p.stock > 0)!
    const order = await fetch(`${baseUrl}/v1/orders`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ lineItems: [{ productId: product.id, quantity: 1 }] }),
    })
    expect(order.status).toBe(201)
    const orderId = ((await order.json()) as { id: string }).id

    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1)
    const [delivery] = received
    expect(JSON.parse(delivery!.body)).toMatchObject({ type: 'order.created', data: { id: orderId } })
    expect(delivery!.headers['webhook-signature']).toMatch(/^v1,/)
    expect(delivery!.headers['webhook-id']).toMatch(/^msg_/)

    // The row's own "Details" action, beside Send Dummy, opens the delivery log (so does the URL).
    await page
      .getByRole('table', { name: 'Webhooks' })
      .getByRole('link', { name: `Details of ${receiverUrl}` })
      .click()
    await expectVisible(page.getByRole('heading', { level: 1, name: receiverUrl }))
    const log = page.getByRole('table', { name: 'Deliveries' })
    await expectVisible(log.getByText('order.created'))
    await expectVisible(log.getByText('Succeeded'))
    await expectVisible(log.getByText(delivery!.headers['webhook-id'] as string))
    await screenshot(page, 'webhooks-03-delivery-log')
  })

  it('Step 9: Send Dummy shows the status code and the response body', async () => {
    await page.getByRole('button', { name: 'Send Dummy' }).first().click()
    const terminal = page.getByRole('dialog', { name: `Send Dummy — ${receiverUrl}` })
    await expectVisible(terminal.getByText(/HTTP 200 · \d+ ms/))
    await expectVisible(terminal.getByRole('region', { name: 'Response body' }).getByText(/e2e receiver/))
    await expect.poll(() => received.length).toBe(2)
    expect(JSON.parse(received[1]!.body).type).toBe('order.created')
    await screenshot(page, 'webhooks-04-send-dummy')
    await terminal.getByRole('button', { name: 'Close' }).first().click()
    await expectGone(terminal)
  })

  it('Step 10: the details show ID, URL and event; Delete asks, then removes it', async () => {
    await expectVisible(page.getByText(/^wh_/).first())
    await expectVisible(page.getByText('Order Create').first())
    await page.getByRole('button', { name: 'Delete', exact: true }).click()
    const confirm = page.getByRole('alertdialog')
    await expectVisible(confirm.getByText(/Delete webhook\?/))
    await confirm.getByRole('button', { name: 'Delete' }).click()
    await expectPath(page, '/store/demo/settings/webhooks')
    await expectVisible(page.getByText('No webhooks yet'))
    await screenshot(page, 'webhooks-05-deleted')
  })
})
