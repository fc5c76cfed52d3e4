import type { CreatedApiKey } from '@deskflow/shared'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { adminPost, expectAccessible, expectPath, expectText, expectVisible, screenshot, signedInPageForFile } from './helpers'

/**
 * Settings → Audit log: a key's history opened from its row, the reveal recorded with the
 * admin and the address, the filters, and the page at phone width.
 */
const email = inject('adminEmail')
const password = inject('adminPassword')
const DESCRIPTION = 'Audited integration'

const session = signedInPageForFile()
let page: Page
let key: CreatedApiKey

beforeAll(async () => {
  page = session.page
  key = await adminPost<CreatedApiKey>(page, '/stores/demo/api-keys', { description: DESCRIPTION, permissions: ['read_products'] })
  await page.reload()
})

afterAll(async () => {
  // Leave the store as found: the other browser tests start from an empty key list.
  if (key?.id) await page.evaluate((id) => fetch(`/stores/demo/api-keys/${id}`, { method: 'DELETE' }), key.id)
})

function rows(): Locator {
  return page.getByRole('table', { name: 'Audit log' }).locator('tbody tr')
}

describe('Audit log', () => {
  it("records a secret reveal, and the key's History opens its entries", async () => {
    const keyRow = page.getByRole('row').filter({ has: page.locator('.description-text').getByText(DESCRIPTION, { exact: true }) })
    await keyRow.getByRole('button', { name: `Show API secret for ${DESCRIPTION}` }).click()
    const dialog = page.getByRole('dialog', { name: 'Confirm your password' })
    await expectVisible(dialog.getByRole('link', { name: 'audit log' }))
    await expectAccessible(page, 'the reveal dialog')
    await dialog.getByLabel('Password').fill(password)
    await dialog.getByRole('button', { name: 'Show secret' }).click()
    await expectVisible(keyRow.getByText(key.secret))

    await keyRow.getByRole('link', { name: `History of ${DESCRIPTION}` }).click()
    await expectPath(page, '/store/demo/settings/audit-log')
    expect(new URL(page.url()).searchParams.get('targetId')).toBe(key.id)
    await expectVisible(page.getByRole('status').getByText(`“${DESCRIPTION}”`))
    await expect.poll(() => rows().count()).toBe(2)
    await expectText(rows().nth(0).locator('td[data-label="Action"]'), 'Secret shown')
    await expectText(rows().nth(0).locator('td[data-label="Who"]'), email)
    await expectText(rows().nth(0).locator('td[data-label="Address"]'), '127.0.0.1')
    await expectText(rows().nth(1).locator('td[data-label="Action"]'), 'Key created')
    await expectText(rows().nth(1).locator('td[data-label="Details"]'), /Permissions: read_products/)
    await screenshot(page, 'audit-log-01-key-history')
    await expectAccessible(page, 'the audit log (one key)')
  })

  it('shows every entry from the Settings navigation, filtered by action on request', async () => {
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Audit log' }).click()
    await expectPath(page, '/store/demo/settings/audit-log')
    expect(new URL(page.url()).search).toBe('')
    await expectVisible(rows().first())
    await page.getByRole('combobox', { name: 'Action' }).selectOption({ label: 'Key created' })
    await expect.poll(() => new URL(page.url()).searchParams.get('action')).toBe('api_key.created')
    await expect.poll(async () => [...new Set(await rows().locator('td[data-label="Action"]').allTextContents())]).toEqual(['Key created'])
  })

  it('stacks its rows on a phone, with nothing wider than the screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await expectVisible(rows().first())
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await screenshot(page, 'audit-log-02-phone')
    await expectAccessible(page, 'the audit log at 390 px')
    await page.setViewportSize({ width: 1280, height: 860 })
  })
})
