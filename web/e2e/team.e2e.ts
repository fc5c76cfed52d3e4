import { randomBytes } from 'node:crypto'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  accessibleDescription,
  apiFromPage,
  expectGone,
  expectPath,
  expectText,
  expectVisible,
  newContext,
  screenshot,
  signedInPageForFile,
  signIn,
} from './helpers'

/**
 * Settings → Team in a real browser: the owner adds a new person, whose one-time password is
 * shown once; that person signs in with it and sees the store as a viewer; the owner makes
 * them a developer, then removes them, and the audit log names them in each entry.
 */
const baseUrl = inject('baseUrl')
const NEWCOMER = `teammate-${randomBytes(4).toString('hex')}@example.com`

const owner = signedInPageForFile()
let page: Page
let browser: Browser
let theirs: BrowserContext
let them: Page

beforeAll(async () => {
  page = owner.page
  browser = owner.browser
})

afterAll(async () => {
  await theirs?.close()
})

function memberRow(): ReturnType<Page['locator']> {
  return page.locator('tbody tr', { hasText: NEWCOMER })
}

describe('Team', () => {
  it('adds a new person: the one-time password is shown once, with Copy', async () => {
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Team' }).click()
    await expectPath(page, '/store/demo/settings/team')
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Team' }))
    await page.getByRole('button', { name: 'Add member' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add member' })
    await dialog.getByLabel('Email').fill(NEWCOMER)
    await dialog.getByRole('radio', { name: 'Viewer' }).check()
    await dialog.getByRole('button', { name: 'Save' }).click()

    await expectVisible(dialog.getByText('Copy their password now'))
    const password = await dialog.getByLabel('One-time password').inputValue()
    expect(password).toMatch(/^[0-9A-Za-z]{20}$/)
    await dialog.getByRole('button', { name: 'Copy password' }).click()
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(password)
    await screenshot(page, 'team-01-one-time-password')
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expectGone(dialog)
    await expectText(memberRow().locator('td[data-label="Role"]'), 'Viewer')
    // Shown once: nothing on the page or in the list's answer carries it any more.
    expect(await page.content()).not.toContain(password)
    expect(JSON.stringify((await apiFromPage(page, '/stores/demo/members')).body)).not.toContain(password)

    theirs = await newContext(browser, baseUrl)
    them = await theirs.newPage()
    await signIn(them, NEWCOMER, password)
  })

  it('shows the new member the store with their role: a viewer, told so, whose changes are unavailable', async () => {
    await expectText(them.locator('.topbar-email'), NEWCOMER)
    await expectVisible(them.getByRole('note').getByText(/You can view this store/))
    const add = them.getByRole('button', { name: 'Add API' }).first()
    await expect.poll(() => add.getAttribute('aria-disabled')).toBe('true')
    expect(await accessibleDescription(add)).toBe('Viewers can’t make changes')
    await them.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Team' }).click()
    await expectVisible(them.getByText('You are a viewer of this store'))
    await expectGone(them.getByRole('button', { name: 'Add member' }))
    await screenshot(them, 'team-02-as-viewer')
  })

  it('a new role applies on their next page: a developer may add keys', async () => {
    await memberRow()
      .getByRole('button', { name: `Change the role of ${NEWCOMER}` })
      .click()
    const dialog = page.getByRole('dialog', { name: `Change the role of “${NEWCOMER}”` })
    await dialog.getByRole('radio', { name: 'Developer' }).check()
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expectGone(dialog)
    await expectText(memberRow().locator('td[data-label="Role"]'), 'Developer')

    await them.goto('/store/demo/settings/api')
    await expectVisible(them.getByRole('heading', { level: 1, name: 'API Keys' }))
    const add = them.getByRole('button', { name: 'Add API' }).first()
    await expectVisible(add)
    expect(await add.getAttribute('aria-disabled')).toBeNull()
    expect(await them.getByRole('note').count()).toBe(0)
  })

  it('a removed member loses the store at once; the audit log names them in every entry', async () => {
    await memberRow()
      .getByRole('button', { name: `Remove ${NEWCOMER}` })
      .click()
    const confirm = page.getByRole('alertdialog', { name: `Remove “${NEWCOMER}”?` })
    await confirm.getByRole('button', { name: 'Remove' }).click()
    await expectGone(confirm)
    await expectGone(memberRow())

    await them.reload()
    await expectVisible(them.getByRole('heading', { level: 1, name: 'Store not found' }))

    await page.goto('/store/demo/settings/audit-log?targetType=member')
    const rows = page.getByRole('table', { name: 'Audit log' }).locator('tbody tr', { hasText: NEWCOMER })
    await expect
      .poll(() => rows.locator('td[data-label="Action"]').allTextContents())
      .toEqual(['Member removed', 'Member role changed', 'Member added'])
    await expectText(rows.nth(1).locator('td[data-label="Details"]'), 'Role: viewer → developer')
  })
})
