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
  submitSignIn,
} from './helpers'

/**
 * Settings → Team in a real browser: the owner adds a new person, whose one-time password is
 * shown once; that person signs in with it, must choose their own before anything else, and
 * then sees the store as a viewer; the owner makes them a developer, then removes them, and
 * the audit log names them in each entry.
 */
const baseUrl = inject('baseUrl')
const NEWCOMER = `teammate-${randomBytes(4).toString('hex')}@example.com`
const THEIR_OWN = `their own ${randomBytes(6).toString('hex')}`

const owner = signedInPageForFile()
let page: Page
let browser: Browser
let theirs: BrowserContext
let them: Page
let oneTimePassword = ''

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

    oneTimePassword = password
  })

  it('the new member signs in with the one-time password and must choose their own before anything else', async () => {
    theirs = await newContext(browser, baseUrl)
    them = await theirs.newPage()
    await them.goto('/login?from=%2Fstore%2Fdemo%2Fsettings%2Fapi')
    await submitSignIn(them, NEWCOMER, oneTimePassword)
    await expectPath(them, '/choose-password')
    await expectVisible(them.getByRole('heading', { level: 1, name: 'Choose your password' }))
    await expectVisible(them.getByText(NEWCOMER))
    await screenshot(them, 'team-02-choose-password')
    // No way around it: another page of the store leads back here.
    await them.goto('/store/demo/settings/webhooks')
    await expectPath(them, '/choose-password')
    await expectVisible(them.getByRole('heading', { level: 1, name: 'Choose your password' }))

    await them.getByLabel('One-time password', { exact: true }).fill(oneTimePassword)
    await them.getByLabel('New password', { exact: true }).fill(THEIR_OWN)
    await them.getByLabel('Confirm new password', { exact: true }).fill(THEIR_OWN)
    await them.getByRole('button', { name: 'Save and continue' }).click()
    await expectPath(them, '/store/demo/settings/webhooks')
    await expectVisible(them.getByRole('heading', { level: 1, name: 'Webhooks' }))
    await them.goto('/store/demo/settings/api')
    await expectVisible(them.getByRole('heading', { level: 1, name: 'API Keys' }))
    // The one-time password is spent: it signs in no more, their own does.
    const signIn = (password: string) =>
      them.evaluate(
        async ({ email, password }) =>
          (
            await fetch('/auth/login', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ email, password }),
            })
          ).status,
        { email: NEWCOMER, password },
      )
    expect(await signIn(oneTimePassword)).toBe(401)
    expect(await signIn(THEIR_OWN)).toBe(200)
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
    await screenshot(them, 'team-03-as-viewer')
  })

  it('a viewer changes their own password from the header: a wrong current one is named at its field', async () => {
    await them.getByRole('banner').getByRole('button', { name: 'Change password' }).click()
    const dialog = them.getByRole('dialog', { name: 'Change password' })
    const again = `${THEIR_OWN} again`
    await dialog.getByLabel('Current password', { exact: true }).fill('not my password at all')
    await dialog.getByLabel('New password', { exact: true }).fill(again)
    await dialog.getByLabel('Confirm new password', { exact: true }).fill(again)
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expectText(dialog.locator('.field-error'), 'Current password is incorrect.')
    await dialog.getByLabel('Current password', { exact: true }).fill(THEIR_OWN)
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expectVisible(them.getByText('Password changed'))
    await expectGone(dialog)
    await expectVisible(them.getByRole('heading', { level: 1, name: 'Team' }))
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
