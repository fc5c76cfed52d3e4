import { readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect, inject } from 'vitest'

const here = path.dirname(fileURLToPath(import.meta.url))
const screenshotDir = path.resolve(here, '../test-results/screenshots')
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** Debian's Chromium, headless; never a downloaded browser. */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  })
}

/** A fresh profile (no cookies) that may read and write the clipboard on the app's origin. */
export async function newContext(browser: Browser, baseUrl: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 860 } })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseUrl).origin })
  context.setDefaultTimeout(10_000)
  context.setDefaultNavigationTimeout(20_000)
  return context
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true })
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true, animations: 'disabled' })
}

/** Waits until the page is at `pathname` (query and hash ignored), failing after the default timeout. */
export async function expectPath(page: Page, pathname: string | RegExp): Promise<void> {
  await page.waitForURL((url) => (typeof pathname === 'string' ? url.pathname === pathname : pathname.test(url.pathname)))
}

/** Fails unless the locator becomes visible. */
export async function expectVisible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible' })
}

/** Fails unless the locator leaves the page (or hides). */
export async function expectGone(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'hidden' })
}

/** Polls the locator's text until it satisfies `check`. */
export async function expectText(locator: Locator, check: string | RegExp): Promise<void> {
  await expect
    .poll(async () => ((await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '').trim() : null), { timeout: 10_000 })
    .toMatch(typeof check === 'string' ? new RegExp(`^${check.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : check)
}

/** Fills the sign-in form and submits it (the caller checks where it lands). */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/** Signs in from the login page and waits until the store's API settings are shown. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login')
  await submitSignIn(page, email, password)
  await expectPath(page, /^\/store\/demo\/settings\/api$/)
  await expectVisible(page.getByRole('heading', { level: 1, name: 'API Keys' }))
}

/** Calls the admin API from inside the page, so the session cookie authenticates it. */
export async function apiFromPage<T = unknown>(page: Page, urlPath: string, method = 'GET'): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ urlPath, method }) => {
      const response = await fetch(urlPath, { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      const text = await response.text()
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as unknown }
    },
    { urlPath, method },
  ) as Promise<{ status: number; body: T }>
}

/** A POST to the admin API from the signed-in page (the session cookie authenticates it); the answer's JSON. */
export async function adminPost<T>(page: Page, urlPath: string, body: object): Promise<T> {
  return page.evaluate(
    async ({ urlPath, body }) => {
      const res = await fetch(urlPath, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      return (await res.json()) as unknown
    },
    { urlPath, body },
  ) as Promise<T>
}

/** The text an assistive technology reads as the element's description (aria-describedby). */
export async function accessibleDescription(locator: Locator): Promise<string> {
  return locator.evaluate((element) =>
    (element.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
      .join(' '),
  )
}

/** Waits until every finite animation (a dialog fading in; not spinners) has ended. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  )
}

/**
 * axe-core's violations on the page as it is now (an open dialog included), one line each:
 * rule, impact, help and the elements. Evaluated through the DevTools protocol, which the
 * server's Content-Security-Policy (no inline scripts) does not apply to.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await settle(page)
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource)
  return page.evaluate(async () => {
    type Result = { violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<Result> } }).axe
    const result = await axe.run(document, { resultTypes: ['violations'] })
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  })
}

/** Fails with axe-core's findings unless the page as it is now has none. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  expect(await axeViolations(page), `axe-core on ${what}`).toEqual([])
}

/**
 * One browser and one signed-in page for a test file: launched before its tests, closed after
 * them (after the file's own `afterAll`, which can still use the page to clean up).
 */
export function signedInPageForFile(): { readonly browser: Browser; readonly context: BrowserContext; readonly page: Page } {
  const state = {} as { browser: Browser; context: BrowserContext; page: Page }
  beforeAll(async () => {
    state.browser = await launchBrowser()
    state.context = await newContext(state.browser, inject('baseUrl'))
    state.page = await state.context.newPage()
    await signIn(state.page, inject('adminEmail'), inject('adminPassword'))
  })
  afterAll(async () => {
    await state.context?.close()
    await state.browser?.close()
  })
  return state
}
