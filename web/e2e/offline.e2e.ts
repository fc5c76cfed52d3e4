import { describe, expect, it } from 'vitest'
import { expectPath, expectVisible, screenshot, signedInPageForFile } from './helpers'

/**
 * The server goes away while the admin navigates: the page's code cannot be downloaded. The app's
 * frame stays, the page says so in place, and it comes back by itself once the server answers.
 */
const session = signedInPageForFile()

describe('navigating while the server is unreachable', () => {
  it('keeps the frame, shows an inline error, and recovers by itself', async () => {
    const { page } = session
    // Every script not downloaded yet fails, and so does the health check, as when the server is down.
    const scripts = '**/assets/*.js'
    const health = '**/health/live'
    await page.route(scripts, (route) => route.abort('connectionrefused'))
    await page.route(health, (route) => route.abort('connectionrefused'))
    try {
      await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Audit log' }).click()
      await expectPath(page, '/store/demo/settings/audit-log')
      const error = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: "Can't reach the server" }) })
      await expectVisible(error)
      // The frame stays: the store's navigation and the sign-out button.
      await expectVisible(page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API' }))
      await expectVisible(page.getByRole('button', { name: 'Sign out' }))
      expect(await page.getByText(/dynamically imported module/i).count()).toBe(0)
      await screenshot(page, 'offline-01-page-code-unreachable')
    } finally {
      await page.unroute(scripts)
      await page.unroute(health)
    }
    // No click: it tries again by itself.
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Audit log' }))
    expect(await page.getByRole('heading', { name: "Can't reach the server" }).count()).toBe(0)
  })
})
