import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { expectGone, expectVisible, launchBrowser, newContext, screenshot, signIn } from './helpers'

/**
 * A key made in the web app opens exactly the doors it was given: with only
 * read_products, /v1/products answers 200 and /v1/orders 403; once deleted in the
 * web app, the very next call answers 401; the usage chart shows the calls.
 */
const baseUrl = inject('baseUrl')
const DESCRIPTION = 'Catalog sync (read only)'

let browser: Browser
let context: BrowserContext
let page: Page
const credentials = { key: '', secret: '' }

beforeAll(async () => {
  browser = await launchBrowser()
  context = await newContext(browser, baseUrl)
  page = await context.newPage()
  await signIn(page, inject('adminEmail'), inject('adminPassword'))
})

afterAll(async () => {
  await context?.close()
  await browser?.close()
})

/** An integrator's call, from outside the browser, as curl -u key:secret would make it. */
async function integratorGet(path: string) {
  const response = await fetch(`${baseUrl}${path}`, {
    headers: { authorization: `Basic ${Buffer.from(`${credentials.key}:${credentials.secret}`).toString('base64')}` },
  })
  return { status: response.status, body: (await response.json()) as { data?: unknown[]; error?: { message: string } } }
}

describe('a read_products key from the web app, used by an integrator', () => {
  it('is created in the web app with only Read Products', async () => {
    await page.getByRole('button', { name: 'Add API' }).first().click()
    const dialog = page.getByRole('dialog', { name: 'Add API key' })
    await dialog.getByLabel('Description').fill(DESCRIPTION)
    await dialog.getByRole('checkbox', { name: 'Read Products' }).check()
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expectVisible(dialog.getByText('Copy your credentials now'))
    credentials.key = await dialog.getByLabel('API Key', { exact: true }).inputValue()
    credentials.secret = await dialog.getByLabel('API Secret', { exact: true }).inputValue()
    expect(credentials.key).toMatch(/^dfk_/)
    expect(credentials.secret).toMatch(/^dfs_/)
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expectGone(dialog)
  })

  it('reads products (200) but not orders (403 naming read_orders)', async () => {
    for (let i = 0; i < 3; i++) {
      const products = await integratorGet('/v1/products?limit=5')
      expect(products.status).toBe(200)
      expect(products.body.data!.length).toBeGreaterThan(0)
    }
    const orders = await integratorGet('/v1/orders')
    expect(orders.status).toBe(403)
    expect(orders.body.error!.message).toContain('requires read_orders')
  })

  it('shows the calls in the usage chart and the last use in the table', async () => {
    // Counts are flushed every second in this run; the dialog polls while open.
    await page.waitForTimeout(1500)
    await page.getByRole('button', { name: `Usage for ${DESCRIPTION}` }).click()
    const dialog = page.getByRole('dialog', { name: `Usage of “${DESCRIPTION}”` })
    const totals = dialog.getByRole('definition')
    await expect
      .poll(async () => (await totals.allTextContents()).map((t) => t.trim()), { timeout: 15_000 })
      .toEqual(['3', '0', '1', '0', '0'])
    const chart = dialog.getByRole('img')
    await expectVisible(chart)
    expect(await chart.getAttribute('aria-label')).toMatch(/3 successful/)
    // The chart library is loaded when the dialog first opens.
    await expect.poll(() => chart.locator('canvas').count(), { timeout: 10_000 }).toBeGreaterThan(0)
    await screenshot(page, 'integrator-01-usage')
    await dialog.getByRole('button', { name: 'Close' }).click()
    await expectGone(dialog)
    await page.reload()
    const row = page.getByRole('row').filter({ hasText: DESCRIPTION })
    await expect.poll(async () => row.textContent(), { timeout: 10_000 }).toMatch(/127\.0\.0\.1/)
  })

  it('is deleted in the web app, and the very next call answers 401', async () => {
    await page.getByRole('button', { name: `Delete ${DESCRIPTION}` }).click()
    const confirm = page.getByRole('alertdialog')
    await confirm.getByRole('button', { name: 'Delete' }).click()
    await expectGone(confirm)
    await expectGone(page.getByRole('row').filter({ hasText: DESCRIPTION }))
    const after = await integratorGet('/v1/products')
    expect(after.status).toBe(401)
    expect(after.body.error!.message).toBe('Invalid API key or secret')
    await screenshot(page, 'integrator-02-deleted')
  })
})
