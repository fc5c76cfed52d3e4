import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AddedMember, CreatedApiKey, CreatedWebhook, UsageReport } from '@deskflow/shared'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  adminPost,
  apiFromPage,
  expectAccessible,
  expectGone,
  expectVisible,
  launchBrowser,
  newContext,
  signIn,
  submitSignIn,
} from './helpers'
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
/** A member besides the signed-in owner, whose role dialogs the walk opens. */
const MEMBER = 'a11y-member@example.com'
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
let member: AddedMember
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
  member = await adminPost<AddedMember>(page, '/stores/demo/members', { email: MEMBER, role: 'developer' })
})

afterAll(async () => {
  if (key?.id) await page.evaluate((id) => fetch(`/stores/demo/api-keys/${id}`, { method: 'DELETE' }), key.id)
  if (webhook?.id) await page.evaluate((id) => fetch(`/stores/demo/webhooks/${id}`, { method: 'DELETE' }), webhook.id)
  if (member?.adminId) await removeMember(member.adminId)
  await context?.close()
  await browser?.close()
  receiver?.close()
})

async function removeMember(adminId: string) {
  await page.evaluate((id) => fetch(`/stores/demo/members/${id}`, { method: 'DELETE' }), adminId)
}

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

  it('the team page and its dialogs, with a one-time password shown once; Change password in the header', async () => {
    await page.goto('/store/demo/settings/team')
    const row = page.locator('tbody tr', { hasText: MEMBER })
    await expectVisible(row)
    await inspect(page, 'the team page', 'team', name)
    await checkDialog(
      'Change password',
      'change-password',
      name,
      () => page.getByRole('banner').getByRole('button', { name: 'Change password' }).click(),
      'Change password',
    )
    await checkDialog('Add member', 'add-member', name, () => page.getByRole('button', { name: 'Add member' }).click(), 'Add member')
    await checkDialog(
      'Change role',
      'change-role',
      name,
      () => row.getByRole('button', { name: `Change the role of ${MEMBER}` }).click(),
      `Change the role of “${MEMBER}”`,
    )
    await checkDialog(
      'the remove confirmation',
      'remove-member',
      name,
      () => row.getByRole('button', { name: `Remove ${MEMBER}` }).click(),
      `Remove “${MEMBER}”?`,
      'alertdialog',
    )

    // A new person: their password, shown once (painted over: it differs every run).
    await page.getByRole('button', { name: 'Add member' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add member' })
    await dialog.getByLabel('Email').fill(`a11y-new-${name}@example.com`)
    await dialog.getByRole('radio', { name: 'Viewer' }).check()
    await dialog.getByRole('button', { name: 'Save' }).click()
    const password = dialog.getByLabel('One-time password')
    await expectVisible(password)
    // With the "Member added" toast on screen, once it has come to rest (sonner's own success
    // colours were under 4.5:1: styles.css darkens them), then without it for the picture.
    const toast = page.locator('[data-sonner-toast][data-mounted="true"]', { hasText: 'Member added' })
    await expectVisible(toast)
    await toast.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)))
    await expectAccessible(page, `the one-time password and its toast (${name})`)
    await expectGone(page.locator('[data-sonner-toast]'))
    await expectLooksLike(page, `member-password-${name}`, [password])
    const oneTimePassword = await password.inputValue()
    await dialog.getByRole('button', { name: 'Done' }).click()
    await dialog.waitFor({ state: 'hidden' })

    // Their first sign-in: the page where they choose their own password, before anything else.
    const theirs = await browser.newContext({ baseURL: baseUrl, viewport: { width, height } })
    try {
      const them = await theirs.newPage()
      await them.goto('/login')
      await submitSignIn(them, `a11y-new-${name}@example.com`, oneTimePassword)
      await expectVisible(them.getByRole('heading', { level: 1, name: 'Choose your password' }))
      await inspect(them, 'the page to choose one’s password', 'choose-password', name)
    } finally {
      await theirs.close()
    }
    // The team the next width's walk sees is the same.
    const added = page.locator('tbody tr', { hasText: `a11y-new-${name}@example.com` })
    await expectVisible(added)
    const members = (await apiFromPage<{ data: AddedMember[] }>(page, '/stores/demo/members')).body.data
    await removeMember(members.find((m) => m.email === `a11y-new-${name}@example.com`)!.adminId)
  })
})
