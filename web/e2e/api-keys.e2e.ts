import type { ApiKey, ApiKeyList, CreatedApiKey } from '@deskflow/shared'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import {
  accessibleDescription,
  apiFromPage,
  expectGone,
  expectPath,
  expectText,
  expectVisible,
  launchBrowser,
  newContext,
  screenshot,
  submitSignIn,
} from './helpers'

/**
 * The help center's Steps 1–6 (API Keys & Integrations) as a store admin walks them, against the
 * built server and web app. The tests share one signed-in page and run in order: each step starts
 * where the previous one left the store.
 */

const baseUrl = inject('baseUrl')
const email = inject('adminEmail')
const password = inject('adminPassword')

const DESCRIPTION = 'Mobile App Integration'
const NEW_DESCRIPTION = 'Mobile App Integration (iOS)'
const SETTINGS_API = '/store/demo/settings/api'

let browser: Browser
let context: BrowserContext
let page: Page

/** What the creation modal showed, to compare with later reveals. */
const created = { id: '', key: '', secret: '' }
let regeneratedSecret = ''

beforeAll(async () => {
  browser = await launchBrowser()
  context = await newContext(browser, baseUrl)
  page = await context.newPage()
})

// A failed step can leave a dialog open; reload so the next step starts from the page, not from the wreck.
beforeEach(({ onTestFailed }) => {
  onTestFailed(async () => {
    await page.goto(SETTINGS_API).catch(() => undefined)
  })
})

afterAll(async () => {
  await context?.close()
  await browser?.close()
})

/** The key's table row; found even while a dialog hides the page from assistive technology. */
function row(description: string): Locator {
  return (
    page
      .getByRole('table', { name: 'API keys', includeHidden: true })
      .getByRole('row', { includeHidden: true })
      // The description cell also lists the permissions and dates: match the description's own text.
      .filter({ has: page.locator('td[data-label="Description"] .description-text').getByText(description, { exact: true }) })
  )
}

function cell(of: Locator, column: 'Activated' | 'API Key' | 'API Secret'): Locator {
  return of.locator(`td[data-label="${column}"]`)
}

/** The empty list's message (a paragraph, not a heading: the page has one h1). */
function emptyState(): Locator {
  return page.getByText('No API keys yet', { exact: true })
}

function toast(text: string): Locator {
  return page.getByRole('region', { name: /Notifications/ }).getByText(text, { exact: true })
}

async function listKeys(): Promise<ApiKey[]> {
  const response = await apiFromPage<ApiKeyList>(page, '/stores/demo/api-keys?limit=100')
  expect(response.status).toBe(200)
  return response.body.data
}

async function clipboardText(): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText())
}

async function setClipboard(text: string): Promise<void> {
  await page.evaluate((value) => navigator.clipboard.writeText(value), text)
}

/** The secret column's reveal flow: eye icon, password, "Show secret". */
async function revealSecret(description: string, withPassword: string): Promise<Locator> {
  await row(description)
    .getByRole('button', { name: `Show API secret for ${description}` })
    .click()
  const dialog = page.getByRole('dialog', { name: 'Confirm your password' })
  await expectVisible(dialog)
  await dialog.getByLabel('Password').fill(withPassword)
  await dialog.getByRole('button', { name: 'Show secret' }).click()
  return dialog
}

describe('Step 1: signing in and reaching Settings → API', () => {
  it('refuses a wrong password with an error, then signs in and lands on store demo', async () => {
    await page.goto('/')
    await expectPath(page, '/login')
    await expectVisible(page.getByRole('heading', { name: 'Sign in to your store admin' }))
    await screenshot(page, '01-login')

    await submitSignIn(page, email, `${password}-wrong`)
    await expectText(page.getByRole('alert'), 'Email or password is incorrect')
    expect(new URL(page.url()).pathname).toBe('/login')
    await screenshot(page, '02-login-wrong-password')

    await submitSignIn(page, email, password)
    // With a single store the app goes straight to it.
    await expectPath(page, SETTINGS_API)
    expect(await page.getByRole('combobox', { name: 'Store' }).inputValue()).toBe('demo')
    await expectVisible(page.getByText(email, { exact: true }))
    await expectVisible(page.getByRole('heading', { level: 1, name: 'API Keys' }))
  })

  it('reaches API settings through the Settings navigation', async () => {
    const nav = page.getByRole('navigation', { name: 'Settings' })
    await nav.getByRole('link', { name: 'Webhooks' }).click()
    await expectPath(page, '/store/demo/settings/webhooks')
    await nav.getByRole('link', { name: 'API', exact: true }).click()
    await expectPath(page, SETTINGS_API)
    await expect.poll(() => nav.getByRole('link', { name: 'API', exact: true }).getAttribute('aria-current')).toBe('page')
    expect(await nav.getByRole('link', { name: 'Webhooks' }).getAttribute('aria-current')).toBeNull()
    await expectVisible(page.getByRole('heading', { level: 1, name: 'API Keys' }))
  })

  it('reaches API settings at /store/demo/settings/api and shows the empty list first', async () => {
    await page.goto(SETTINGS_API)
    await expectVisible(page.getByRole('heading', { level: 1, name: 'API Keys' }))
    await expectVisible(emptyState())
    expect(await page.getByRole('table', { name: 'API keys' }).count()).toBe(0)
    expect(await page.title()).toContain('API Keys')
    await screenshot(page, '03-api-keys-empty')
  })
})

describe('Step 3: creating an API key', () => {
  it('"Add API" opens the form; Save without a description shows the field error and sends nothing', async () => {
    let posted = 0
    const countPosts = (request: { method: () => string; url: () => string }) => {
      if (request.method() === 'POST' && request.url().endsWith('/stores/demo/api-keys')) posted += 1
    }
    page.on('request', countPosts)

    await page.getByRole('button', { name: 'Add API' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add API key' })
    await expectVisible(dialog)
    await screenshot(page, '04-add-api-form')

    await dialog.getByRole('button', { name: 'Save' }).click()
    const description = dialog.getByLabel('Description')
    await expectText(dialog.getByRole('alert'), /^Enter a description/)
    expect(await description.getAttribute('aria-invalid')).toBe('true')
    expect(await description.evaluate((input) => input === document.activeElement)).toBe(true)
    await screenshot(page, '05-add-api-description-required')
    page.off('request', countPosts)
    expect(posted).toBe(0)
  })

  it('creates the key and shows its key and secret once, with copy buttons that fill the clipboard', async () => {
    const dialog = page.getByRole('dialog', { name: 'Add API key' })
    await dialog.getByLabel('Description').fill(DESCRIPTION)
    expect(await dialog.getByLabel('Description').getAttribute('aria-invalid')).toBeNull()
    await dialog.getByRole('checkbox', { name: 'Read Orders' }).click()
    await dialog.getByRole('checkbox', { name: 'Write Orders' }).click()
    expect(await dialog.getByRole('checkbox', { name: 'Read Orders' }).getAttribute('aria-checked')).toBe('true')
    expect(await dialog.getByRole('checkbox', { name: 'Write Orders' }).getAttribute('aria-checked')).toBe('true')
    expect(await dialog.getByRole('checkbox', { name: 'Read Customers' }).getAttribute('aria-checked')).toBe('false')
    const activated = dialog.getByRole('switch', { name: 'Activated' })
    if ((await activated.getAttribute('aria-checked')) !== 'true') await activated.click()
    expect(await activated.getAttribute('aria-checked')).toBe('true')
    await screenshot(page, '06-add-api-filled')

    const response = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/stores/demo/api-keys'))
    await dialog.getByRole('button', { name: 'Save' }).click()
    const answer = await response
    expect(answer.status()).toBe(201)
    const body = (await answer.json()) as CreatedApiKey
    expect(body.permissions).toEqual(['read_orders', 'write_orders'])
    expect(body.activated).toBe(true)
    created.id = body.id

    await expectVisible(dialog.getByRole('heading', { name: 'Copy your credentials now' }))
    created.key = await dialog.getByLabel('API Key', { exact: true }).inputValue()
    created.secret = await dialog.getByLabel('API Secret', { exact: true }).inputValue()
    expect(created.key).toMatch(/^dfk_[A-Za-z0-9]{20,}$/)
    expect(created.secret).toMatch(/^dfs_[A-Za-z0-9]{40,}$/)
    expect(created.key).toBe(body.key)
    expect(created.secret).toBe(body.secret)
    await expectText(dialog.getByRole('note'), /only time the secret is shown/)
    await expectVisible(toast('API key created'))
    await screenshot(page, '07-add-api-credentials')

    await setClipboard('nothing copied yet')
    await dialog.getByRole('button', { name: 'Copy API secret' }).click()
    await expect.poll(clipboardText).toBe(created.secret)
    await expectText(dialog.getByRole('button', { name: 'Copy API secret' }), 'Copied')
    await dialog.getByRole('button', { name: 'Copy API key' }).click()
    await expect.poll(clipboardText).toBe(created.key)

    await dialog.getByRole('button', { name: 'Done' }).click()
    await expectGone(dialog)
  })
})

describe('Step 4: viewing API keys', () => {
  it('lists the new key as activated, with the key and the secret masked', async () => {
    const table = page.getByRole('table', { name: 'API keys' })
    await expectVisible(table)
    const mine = row(DESCRIPTION)
    await expectVisible(mine)
    expect(await mine.count()).toBe(1)
    await expectText(cell(mine, 'Activated'), 'Active')
    await expectText(cell(mine, 'API Key').locator('code'), `dfk_••••••••${created.key.slice(-4)}`)
    await expectText(cell(mine, 'API Secret').locator('code'), `dfs_••••••••${created.secret.slice(-4)}`)
    const text = (await table.textContent()) ?? ''
    expect(text).not.toContain(created.key)
    expect(text).not.toContain(created.secret)
    expect(await emptyState().count()).toBe(0)
    await screenshot(page, '08-list-masked')
  })

  it('the eye icon on the key reveals the full key, and hides it again', async () => {
    const mine = row(DESCRIPTION)
    const columns = () => page.locator('.keys-table th').evaluateAll((ths) => ths.map((th) => Math.round(th.getBoundingClientRect().width)))
    const before = await columns()
    const code = cell(mine, 'API Key').locator('code')
    const maskedBox = await code.boundingBox()
    const show = mine.getByRole('button', { name: `Show API key for ${DESCRIPTION}` })
    await show.click()
    await expectText(code, created.key)
    // The full value on one line, in the masked value's place: no column moves.
    expect(await code.getAttribute('title')).toBe(created.key)
    expect(await columns()).toEqual(before)
    const revealedBox = await code.boundingBox()
    expect([revealedBox?.width, revealedBox?.height]).toEqual([maskedBox?.width, maskedBox?.height])
    // Every row action in sight at 1280 px: the table does not scroll.
    expect(await page.locator('.keys-table').evaluate((t) => t.scrollWidth - t.parentElement!.clientWidth)).toBeLessThanOrEqual(0)
    await screenshot(page, '09-key-revealed')
    await mine.getByRole('button', { name: `Hide API key for ${DESCRIPTION}` }).click()
    await expectText(cell(mine, 'API Key').locator('code'), `dfk_••••••••${created.key.slice(-4)}`)
  })

  it('the eye icon on the secret asks for the password, refuses a wrong one at the field, and reveals with the right one', async () => {
    const mine = row(DESCRIPTION)
    const dialog = await revealSecret(DESCRIPTION, 'not-my-password-at-all')
    const field = dialog.getByLabel('Password')
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true')
    // The error is announced with the field: it is part of the input's description.
    await expect.poll(() => accessibleDescription(field)).toMatch(/password is incorrect/i)
    await expectText(dialog.getByRole('alert'), /password is incorrect/i)
    await expectText(cell(mine, 'API Secret').locator('code'), `dfs_••••••••${created.secret.slice(-4)}`)
    await screenshot(page, '10-reveal-wrong-password')

    await field.fill(password)
    expect(await field.getAttribute('aria-invalid')).toBeNull()
    await dialog.getByRole('button', { name: 'Show secret' }).click()
    await expectGone(dialog)
    await expectText(cell(mine, 'API Secret').locator('code'), created.secret)
    await screenshot(page, '11-secret-revealed')

    await mine.getByRole('button', { name: `Hide API secret for ${DESCRIPTION}` }).click()
    await expectText(cell(mine, 'API Secret').locator('code'), `dfs_••••••••${created.secret.slice(-4)}`)
  })
})

describe('Step 5: editing an API key', () => {
  it('changes the description, permissions and activation, confirmed by a toast, the row and the API', async () => {
    await row(DESCRIPTION)
      .getByRole('button', { name: `Edit ${DESCRIPTION}` })
      .click()
    const dialog = page.getByRole('dialog', { name: 'Edit API key' })
    await expectVisible(dialog)
    expect(await dialog.getByLabel('Description').inputValue()).toBe(DESCRIPTION)
    expect(await dialog.getByRole('checkbox', { name: 'Write Orders' }).getAttribute('aria-checked')).toBe('true')
    await screenshot(page, '12-edit-form')

    await dialog.getByLabel('Description').fill(NEW_DESCRIPTION)
    await dialog.getByRole('checkbox', { name: 'Read Products' }).click()
    await dialog.getByRole('checkbox', { name: 'Write Orders' }).click()
    const activated = dialog.getByRole('switch', { name: 'Activated' })
    expect(await activated.getAttribute('aria-checked')).toBe('true')
    await activated.click()
    expect(await activated.getAttribute('aria-checked')).toBe('false')
    await screenshot(page, '13-edit-changed')
    await dialog.getByRole('button', { name: 'Save' }).click()

    await expectVisible(toast('API key updated'))
    await expectGone(dialog)
    const mine = row(NEW_DESCRIPTION)
    await expectVisible(mine)
    await expectText(cell(mine, 'Activated'), 'Inactive')
    expect(await row(DESCRIPTION).count()).toBe(0)
    await screenshot(page, '14-edited-row')

    const stored = (await listKeys()).find((k) => k.id === created.id)
    expect(stored).toMatchObject({ description: NEW_DESCRIPTION, activated: false })
    expect([...stored!.permissions].sort()).toEqual(['read_orders', 'read_products'])
  })

  it('regenerates the secret with a 1-hour grace period: a new secret is shown once and reveals afterwards', async () => {
    const mine = row(NEW_DESCRIPTION)
    // Leave the current secret on screen, as an admin checking it before rotating would.
    const reveal = await revealSecret(NEW_DESCRIPTION, password)
    await expectGone(reveal)
    await expectText(cell(mine, 'API Secret').locator('code'), created.secret)

    await mine.getByRole('button', { name: `Edit ${NEW_DESCRIPTION}` }).click()
    const dialog = page.getByRole('dialog', { name: 'Edit API key' })
    await expectVisible(dialog.getByRole('heading', { name: 'Regenerate secret' }))
    expect(await dialog.getByText(/Previous secret works until/).count()).toBe(0)
    await dialog.getByRole('radio', { name: 'Keep working for 1 hour' }).check()
    await dialog.getByRole('button', { name: 'Regenerate secret' }).click()

    const confirm = page.getByRole('alertdialog', { name: 'Regenerate secret?' })
    await expectVisible(confirm)
    await expectText(confirm.getByText(/A new secret is created/), /keeps working for 1 hour/)
    await screenshot(page, '15-regenerate-confirm')
    await confirm.getByRole('button', { name: 'Regenerate', exact: true }).click()
    await expectGone(confirm)

    const newSecret = dialog.getByLabel('New API Secret')
    await expectVisible(newSecret)
    regeneratedSecret = await newSecret.inputValue()
    expect(regeneratedSecret).toMatch(/^dfs_[A-Za-z0-9]{40,}$/)
    expect(regeneratedSecret).not.toBe(created.secret)
    await expectVisible(dialog.getByText(/^Previous secret works until .+/))
    await expectVisible(toast('API secret regenerated'))
    await screenshot(page, '16-regenerated')

    const stored = (await listKeys()).find((k) => k.id === created.id)
    expect(stored?.secretLast4).toBe(regeneratedSecret.slice(-4))
    const graceLeftMs = new Date(stored!.previousSecretExpiresAt!).getTime() - Date.now()
    expect(graceLeftMs).toBeGreaterThan(55 * 60_000)
    expect(graceLeftMs).toBeLessThanOrEqual(60 * 60_000 + 60_000)

    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expectGone(dialog)
    // The secret revealed before the rotation is no longer the key's secret: the row must not keep showing it.
    await expectText(cell(mine, 'API Secret').locator('code'), `dfs_••••••••${regeneratedSecret.slice(-4)}`)
    expect((await page.getByRole('table', { name: 'API keys' }).textContent()) ?? '').not.toContain(created.secret)
    await screenshot(page, '17-after-regenerate-row')
  })

  it('reveals the regenerated secret, not the old one', async () => {
    const mine = row(NEW_DESCRIPTION)
    const reveal = mine.getByRole('button', { name: `Hide API secret for ${NEW_DESCRIPTION}` })
    if ((await reveal.count()) > 0) await reveal.click()
    const dialog = await revealSecret(NEW_DESCRIPTION, password)
    await expectGone(dialog)
    await expectText(cell(mine, 'API Secret').locator('code'), regeneratedSecret)
    await screenshot(page, '18-regenerated-secret-revealed')
    await mine.getByRole('button', { name: `Hide API secret for ${NEW_DESCRIPTION}` }).click()
  })
})

describe('Step 6: deleting an API key', () => {
  it('asks for confirmation; Cancel keeps the key', async () => {
    await row(NEW_DESCRIPTION)
      .getByRole('button', { name: `Delete ${NEW_DESCRIPTION}` })
      .click()
    const confirm = page.getByRole('alertdialog', { name: `Delete “${NEW_DESCRIPTION}”?` })
    await expectVisible(confirm)
    await expectVisible(confirm.getByText(/stop working immediately/))
    await screenshot(page, '19-delete-confirm')
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    await expectGone(confirm)
    await expectVisible(row(NEW_DESCRIPTION))
    expect((await listKeys()).map((k) => k.id)).toContain(created.id)
  })

  it('Delete removes the key from the list and from the API', async () => {
    await row(NEW_DESCRIPTION)
      .getByRole('button', { name: `Delete ${NEW_DESCRIPTION}` })
      .click()
    const confirm = page.getByRole('alertdialog', { name: `Delete “${NEW_DESCRIPTION}”?` })
    // The toast lasts a few seconds: watch for it from the click on, check it once the rest is proven.
    const toastShown = toast('API key deleted')
      .waitFor({ state: 'visible', timeout: 5_000 })
      .then(
        () => true,
        () => false,
      )
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click()
    await expectGone(confirm)
    await expectGone(row(NEW_DESCRIPTION))
    await expectVisible(emptyState())
    await screenshot(page, '20-deleted')

    const gone = await apiFromPage<{ error: { code: string } }>(page, `/stores/demo/api-keys/${encodeURIComponent(created.id)}`)
    expect(gone.status).toBe(404)
    expect(gone.body.error.code).toBe('not_found')
    expect((await listKeys()).map((k) => k.id)).not.toContain(created.id)
    expect(await toastShown, 'an "API key deleted" toast confirms the deletion').toBe(true)
  })
})

describe('a store with many keys', () => {
  /** Creates keys through the admin API from the signed-in page, as fast as the app itself could. */
  async function createKeys(descriptions: string[]): Promise<string[]> {
    return page.evaluate(async (all) => {
      const ids: string[] = []
      for (const description of all) {
        const response = await fetch('/stores/demo/api-keys', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', 'Deskflow-CSRF': '1' },
          body: JSON.stringify({ description, permissions: ['read_orders'] }),
        })
        ids.push(((await response.json()) as { id: string }).id)
      }
      return ids
    }, descriptions)
  }

  const keyRows = () => page.getByRole('table', { name: 'API keys' }).locator('tbody tr')

  it('shows the newest 50 first, loads more on request, and finds a key by description or key', async () => {
    const descriptions = Array.from({ length: 55 }, (_, i) => `Paged key ${String(i).padStart(2, '0')}`)
    const ids = await createKeys(descriptions)
    try {
      await page.goto(SETTINGS_API)
      await expectVisible(row('Paged key 54'))
      expect(await keyRows().count()).toBe(50)
      expect(await row('Paged key 04').count()).toBe(0)
      await page.getByRole('button', { name: 'Load more' }).click()
      await expectVisible(row('Paged key 00'))
      expect(await keyRows().count()).toBe(55)
      expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0)

      const search = page.getByRole('searchbox', { name: 'Search API keys' })
      await search.fill('paged KEY 3')
      await expectGone(row('Paged key 54'))
      expect(await keyRows().count()).toBe(10)
      await screenshot(page, '21b-keys-search')
      const [one] = (await listKeys()).filter((k) => k.description === 'Paged key 17')
      await search.fill(one!.key.slice(0, 14))
      await expectVisible(row('Paged key 17'))
      expect(await keyRows().count()).toBe(1)
      await search.fill('no such key')
      await expectVisible(page.getByText('No API keys match “no such key”'))
      await search.fill('')
      await expectVisible(row('Paged key 54'))
    } finally {
      await page.evaluate(async (all) => {
        for (const id of all)
          await fetch(`/stores/demo/api-keys/${id}`, { method: 'DELETE', credentials: 'same-origin', headers: { 'Deskflow-CSRF': '1' } })
      }, ids)
    }
  })

  it('after the keys are deleted, shows the empty list again', async () => {
    await page.goto(SETTINGS_API)
    await expectVisible(emptyState())
    expect(await page.getByRole('searchbox', { name: 'Search API keys' }).count()).toBe(0)
  })
})

describe('keyboard, failures and signing out', () => {
  it('keeps Tab focus inside the Add API dialog and closes it with Escape', async () => {
    const add = page.getByRole('button', { name: 'Add API' })
    await add.click()
    const dialog = page.getByRole('dialog', { name: 'Add API key' })
    await expectVisible(dialog)

    const visited = new Set<string>()
    for (let i = 0; i < 30; i += 1) {
      await page.keyboard.press('Tab')
      const focus = await page.evaluate(() => {
        const active = document.activeElement as HTMLInputElement | HTMLButtonElement | null
        const dialog = active?.closest('[role="dialog"]')
        const title = dialog?.getAttribute('aria-labelledby')
          ? document.getElementById(dialog.getAttribute('aria-labelledby')!)?.textContent
          : null
        const inside = title === 'Add API key'
        const name = active?.getAttribute('aria-label') ?? active?.labels?.[0]?.textContent ?? active?.textContent ?? active?.tagName ?? ''
        return { inside, name: name.trim() }
      })
      expect(focus.inside, `Tab ${i + 1} moved focus to "${focus.name}" outside the dialog`).toBe(true)
      visited.add(focus.name)
    }
    // Thirty presses go round the dialog's controls more than once, passing every kind of control.
    for (const name of ['Close', 'Description', 'Read Customers', 'Write Categories', 'Activated', 'Cancel', 'Save'])
      expect(visited).toContain(name)
    await screenshot(page, '21-dialog-keyboard-focus')

    await page.keyboard.press('Escape')
    await expectGone(dialog)
  })

  it('gives focus back to "Add API" when the dialog closes', async () => {
    const add = page.getByRole('button', { name: 'Add API' })
    await add.focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Add API key' })
    await expectVisible(dialog)
    await page.keyboard.press('Escape')
    await expectGone(dialog)
    await expect
      .poll(() =>
        page.evaluate(() =>
          document.activeElement === document.body ? '<body>: focus was dropped' : document.activeElement?.textContent?.trim(),
        ),
      )
      .toBe('Add API')
  })

  it('shows an error state with Retry when the server cannot be reached, and recovers', async () => {
    // The list is asked for a page at a time (`?limit=50`).
    const list = /\/stores\/demo\/api-keys(\?.*)?$/
    await page.route(list, (route) => route.abort())
    try {
      await page.reload()
      const error = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: "Can't reach the server" }) })
      await expectVisible(error)
      await expectVisible(error.getByRole('button', { name: 'Retry' }))
      await screenshot(page, '22-server-unreachable')
    } finally {
      await page.unroute(list)
    }
    await page.getByRole('button', { name: 'Retry' }).click()
    await expectVisible(emptyState())
    expect(await page.getByRole('heading', { name: "Can't reach the server" }).count()).toBe(0)
  })

  it('Sign out returns to the login page, and the settings URL then asks to sign in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expectPath(page, '/login')
    await expectVisible(page.getByRole('heading', { name: 'Sign in to your store admin' }))
    await screenshot(page, '23-signed-out')

    expect((await apiFromPage(page, '/stores/demo/api-keys')).status).toBe(401)
    await page.goto(SETTINGS_API)
    await expectPath(page, '/login')
    await expectVisible(page.getByRole('button', { name: 'Sign in' }))
    expect(await page.getByRole('heading', { level: 1, name: 'API Keys' }).count()).toBe(0)
    await screenshot(page, '24-settings-after-sign-out')
  })
})
