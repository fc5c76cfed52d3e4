import type { CreatedApiKey } from '@deskflow/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminPost, expectVisible, screenshot, signedInPageForFile } from './helpers'

/** On a phone (390 × 844): a toast shown while a dialog is open never covers the dialog's buttons. */
const DESCRIPTION = 'Phone check'

const session = signedInPageForFile()
let key: CreatedApiKey

beforeAll(async () => {
  const { page } = session
  key = await adminPost<CreatedApiKey>(page, '/stores/demo/api-keys', { description: DESCRIPTION, permissions: ['read_products'] })
  await page.setViewportSize({ width: 390, height: 844 })
  await page.reload()
})

afterAll(async () => {
  if (key?.id) await session.page.evaluate((id) => fetch(`/stores/demo/api-keys/${id}`, { method: 'DELETE' }), key.id)
})

type Box = { x: number; y: number; width: number; height: number }
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

describe('toasts on a phone', () => {
  it('appear clear of an open dialog and its buttons', async () => {
    const { page } = session
    const row = page.locator('tbody tr', { hasText: DESCRIPTION })
    await row.getByRole('button', { name: `Regenerate the secret of ${DESCRIPTION}` }).click()
    const dialog = page.getByRole('dialog', { name: `Regenerate the secret of “${DESCRIPTION}”` })
    await expectVisible(dialog)
    await dialog.getByRole('button', { name: 'Regenerate secret' }).click()
    await page.getByRole('alertdialog', { name: 'Regenerate secret?' }).getByRole('button', { name: 'Regenerate' }).click()

    // The dialog stays open with the new secret; the toast says it worked.
    const toast = page.getByRole('region', { name: /Notifications/ }).getByText('API secret regenerated', { exact: true })
    await expectVisible(toast)
    // Read at once: the toast lasts three seconds.
    const toastBox = await page.locator('[data-sonner-toast]').first().boundingBox()
    expect(toastBox).not.toBeNull()
    const buttons = await dialog.getByRole('button').all()
    expect(buttons.length).toBeGreaterThan(1)
    for (const button of buttons) {
      const box = await button.boundingBox()
      if (box)
        expect(
          overlaps(toastBox!, box),
          `the toast covers "${(await button.getAttribute('aria-label')) ?? (await button.textContent())}"`,
        ).toBe(false)
    }
    await screenshot(page, 'phone-01-toast-over-dialog')
  })
})
