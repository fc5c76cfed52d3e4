import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CreatedApiKey, CreatedWebhook, UsageReport } from '@deskflow/shared'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { adminPost, apiFromPage, expectAccessible, expectVisible, launchBrowser, newContext, signIn } from './helpers'
import { expectLooksLike } from './visual'

/**
 * Every page and dialog of the admin, at desktop (1280 × 800) and phone (390 × 844) sizes:
 * axe-core finds no violation of any rule it runs by default (WCAG 2.0–2.2 A and AA, and best
 * practices), and each looks as its committed baseline (`e2e/baselines/`, see `visual.ts`).
 */
const baseUrl = inject('baseUrl')
const email = inject('adminEmail')
const password = inject('adminPassword')
const DESCRIPTION = 'Accessibility check'
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
]

let browser: Browser
let context: BrowserContext
let page: Page
let receiver: http.Server
let key: CreatedApiKey
let webhook: CreatedWebhook
let integratorCalls = 0

beforeAll(async () => {
  receiver = http.createServer((_req, res) => res.end('ok'))
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  browser = await launchBrowser()
  context = await newContext(browser, baseUrl)
  page = await context.newPage()
  await signIn(page, email, password)
  key = await adminPost<CreatedApiKey>(page, '/stores/demo/api-keys', { description: DESCRIPTION, permissions: ['read_products'] })
  webhook = await adminPost<CreatedWebhook>(page, '/stores/demo/webhooks', {
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/a11y`,
    events: ['order.created'],
  })
})

afterAll(async () => {
  if (key?.id) await page.evaluate((id) => fetch(`/stores/demo/api-keys/${id}`, { method: 'DELETE' }), key.id)
  if (webhook?.id) await page.evaluate((id) => fetch(`/stores/demo/webhooks/${id}`, { method: 'DELETE' }), webhook.id)
  await context?.close()
  await browser?.close()
  receiver?.close()
})

/** axe-core, then the baseline `<shot>-<size>` (the webhook's URL has the port this run picked: painted over). */
async function inspect(on: Page, what: string, shot: string, size: string) {
  await expectAccessible(on, `${what} (${size})`)
  await expectLooksLike(on, `${shot}-${size}`, webhook ? [on.getByText(webhook.url)] : [])
}

/** Opens a dialog with `open`, inspects it once it has loaded, and closes it with Escape. */
async function checkDialog(
  what: string,
  shot: string,
  size: string,
  open: () => Promise<void>,
  name: string | RegExp,
  role: 'dialog' | 'alertdialog' = 'dialog',
) {
  await open()
  const dialog = page.getByRole(role, { name })
  await expectVisible(dialog)
  await expect.poll(() => dialog.locator('[role="status"][aria-label^="Loading"], .skeleton, [aria-busy="true"]').count()).toBe(0)
  await inspect(page, what, shot, size)
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
}

describe.each(WIDTHS)('every page and dialog at $name width', ({ name, width, height }) => {
  beforeAll(async () => {
    await page.setViewportSize({ width, height })
  })

  it('the API keys page and its dialogs', async () => {
    await page.goto('/store/demo/settings/api')
    // By element, not role: at phone width the rows are stacked blocks.
    const row = page.locator('tbody tr', { hasText: DESCRIPTION })
    await expectVisible(row)
    await inspect(page, 'the API keys page', 'api-keys', name)
    await checkDialog(
      'Add API key',
      'add-api-key',
      name,
      () => page.getByRole('button', { name: 'Add API' }).first().click(),
      'Add API key',
    )
    await checkDialog(
      'Edit API key',
      'edit-api-key',
      name,
      () => row.getByRole('button', { name: `Edit ${DESCRIPTION}` }).click(),
      'Edit API key',
    )
    await checkDialog(
      'the usage dialog',
      'key-usage',
      name,
      () => row.getByRole('button', { name: `Usage for ${DESCRIPTION}` }).click(),
      `Usage of “${DESCRIPTION}”`,
    )
    await checkDialog(
      'the password dialog',
      'password',
      name,
      () => row.getByRole('button', { name: `Show API secret for ${DESCRIPTION}` }).click(),
      'Confirm your password',
    )
    await checkDialog(
      'Regenerate secret',
      'regenerate-secret',
      name,
      () => row.getByRole('button', { name: `Regenerate the secret of ${DESCRIPTION}` }).click(),
      `Regenerate the secret of “${DESCRIPTION}”`,
    )
    await checkDialog(
      'the delete confirmation',
      'delete-api-key',
      name,
      () => row.getByRole('button', { name: `Delete ${DESCRIPTION}` }).click(),
      `Delete “${DESCRIPTION}”?`,
      'alertdialog',
    )
  })

  it('the webhooks pages and their dialogs', async () => {
    await page.goto('/store/demo/settings/webhooks')
    await expectVisible(page.getByRole('link', { name: webhook.url }).first())
    await inspect(page, 'the webhooks page', 'webhooks', name)
    await checkDialog(
      'Add webhook',
      'add-webhook',
      name,
      () => page.getByRole('button', { name: 'Add Webhook' }).first().click(),
      'Add webhook',
    )

    await page.goto(`/store/demo/settings/webhooks/${webhook.id}`)
    await expectVisible(page.getByRole('heading', { level: 1, name: webhook.url }))
    await expect.poll(() => page.locator('[role="status"][aria-label^="Loading"], .skeleton').count()).toBe(0)
    await inspect(page, "the webhook's page", 'webhook', name)
    const main = page.getByRole('main')
    await checkDialog(
      'Edit webhook',
      'edit-webhook',
      name,
      () => main.getByRole('button', { name: 'Edit', exact: true }).click(),
      'Edit webhook',
    )
    await checkDialog(
      'Replay failed deliveries',
      'replay-failed',
      name,
      () => main.getByRole('button', { name: 'Replay failed…' }).click(),
      'Replay failed deliveries',
    )
    await checkDialog(
      "the webhook secret's password dialog",
      'webhook-secret-password',
      name,
      () => main.getByRole('button', { name: 'Show signing secret' }).click(),
      'Confirm your password',
    )
    await checkDialog(
      'Rotate signing secret',
      'rotate-secret',
      name,
      () => main.getByRole('button', { name: 'Rotate secret' }).click(),
      'Rotate signing secret?',
      'alertdialog',
    )
    await checkDialog(
      'Delete webhook',
      'delete-webhook',
      name,
      () => main.getByRole('button', { name: 'Delete', exact: true }).click(),
      'Delete webhook?',
      'alertdialog',
    )
    await checkDialog(
      'Send Dummy',
      'send-dummy',
      name,
      () => page.getByRole('button', { name: 'Send Dummy' }).click(),
      `Send Dummy — ${webhook.url}`,
    )
  })

  it('the usage page and a key’s usage dialog from it', async () => {
    // Two integrator calls, so the page has a chart and a busiest key (counts are written every second here).
    const auth = `Basic ${Buffer.from(`${key.key}:${key.secret}`).toString('base64')}`
    for (const path of ['/v1/products', '/v1/orders']) await fetch(`${baseUrl}${path}`, { headers: { authorization: auth } })
    integratorCalls += 2
    // Every call made so far is counted, so the page shows the same numbers every run.
    await expect
      .poll(async () => {
        const totals = (await apiFromPage<UsageReport>(page, '/stores/demo/usage')).body.keys.find((k) => k.apiKeyId === key.id)?.totals
        return totals ? Object.values(totals).reduce((sum, n) => sum + n, 0) : 0
      })
      .toBe(integratorCalls)
    await page.goto('/store/demo/settings/usage')
    await expectVisible(page.getByRole('table', { name: 'Busiest keys' }).getByText(DESCRIPTION))
    await inspect(page, 'the usage page', 'usage', name)
    await checkDialog(
      "a key's usage from the usage page",
      'usage-key',
      name,
      () => page.getByRole('button', { name: `Usage of ${DESCRIPTION}` }).click(),
      `Usage of “${DESCRIPTION}”`,
    )
  })

  it('the audit log, the sign-in page and a page that does not exist', async () => {
    await page.goto('/store/demo/settings/audit-log')
    await expectVisible(page.getByRole('table', { name: 'Audit log' }))
    await inspect(page, 'the audit log', 'audit-log', name)
    await page.goto('/store/demo/settings/nothing-here')
    await expectVisible(page.getByRole('heading', { level: 1 }))
    await inspect(page, 'the not-found page', 'not-found', name)
    const signedOut = await browser.newContext({ baseURL: baseUrl, viewport: { width, height } })
    const login = await signedOut.newPage()
    await login.goto('/login')
    await expectVisible(login.getByRole('button', { name: 'Sign in' }))
    await inspect(login, 'the sign-in page', 'sign-in', name)
    await signedOut.close()
  })
})
