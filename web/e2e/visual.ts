import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pixelmatch from 'pixelmatch'
import { PNG } from 'pngjs'
import type { Locator, Page } from 'playwright-core'
import { expect } from 'vitest'
import { settle } from './helpers'

const here = path.dirname(fileURLToPath(import.meta.url))
const baselineDir = path.join(here, 'baselines')
const resultsDir = path.resolve(here, '../test-results/visual')
const UPDATE = process.env.UPDATE_BASELINES === '1'

/**
 * What changes from run to run: times (also a date field's value, which follows the clock),
 * generated ids and credentials, a filled URL field (its port is the test's receiver), charts,
 * the Send Dummy terminal.
 */
const DYNAMIC = [
  'time',
  'input[type="datetime-local"]',
  'input[type="url"]:not(:placeholder-shown)',
  'code',
  '.credential',
  '.usage-chart',
  '.terminal',
  '[data-sonner-toaster]',
]
/**
 * A time's text changes width with the clock ("9:05" and "22:53"), which would move what follows
 * it; during the shot every time takes the same width, so only a real change of layout differs.
 */
const STEADY_TIMES =
  'time { display: inline-block !important; width: 11em !important; overflow: hidden !important; white-space: nowrap !important; vertical-align: bottom !important; }'
/**
 * Pixels that may differ (anti-aliasing aside) before a page counts as changed: with what changes
 * from run to run painted over, two runs differ by none; a new button in the header is ~650.
 */
const TOLERANCE = 200

/**
 * Compares the viewport with `web/e2e/baselines/<name>.png` (pixelmatch, small tolerance),
 * with what changes between runs painted over (`DYNAMIC`, and `mask`: e.g. a URL with a port
 * the test picked). On a difference the actual image and the difference land in
 * `web/test-results/visual/`. `UPDATE_BASELINES=1 pnpm test:browser` writes the baselines:
 * an intended change commits them with the change.
 */
export async function expectLooksLike(page: Page, name: string, mask: Locator[] = []): Promise<void> {
  await page.mouse.move(0, 0)
  await settle(page)
  const shot = await page.screenshot({
    animations: 'disabled',
    caret: 'hide',
    mask: [...DYNAMIC.map((selector) => page.locator(selector)), ...mask],
    maskColor: '#ff00ff',
    style: STEADY_TIMES,
  })
  const file = path.join(baselineDir, `${name}.png`)
  if (UPDATE) {
    mkdirSync(baselineDir, { recursive: true })
    writeFileSync(file, shot)
    return
  }
  if (!existsSync(file))
    throw new Error(`No baseline for "${name}": run UPDATE_BASELINES=1 pnpm test:browser and commit web/e2e/baselines/${name}.png`)
  const expected = PNG.sync.read(readFileSync(file))
  const actual = PNG.sync.read(shot)
  mkdirSync(resultsDir, { recursive: true })
  if (expected.width !== actual.width || expected.height !== actual.height) {
    writeFileSync(path.join(resultsDir, `${name}.actual.png`), shot)
    expect.fail(`${name}: ${actual.width}×${actual.height}, the baseline is ${expected.width}×${expected.height}`)
  }
  const diff = new PNG({ width: actual.width, height: actual.height })
  const differing = pixelmatch(expected.data, actual.data, diff.data, actual.width, actual.height, { threshold: 0.1 })
  if (differing > TOLERANCE) {
    writeFileSync(path.join(resultsDir, `${name}.actual.png`), shot)
    writeFileSync(path.join(resultsDir, `${name}.diff.png`), PNG.sync.write(diff))
  }
  expect(
    differing,
    `${name}: ${differing} pixels differ from the baseline (see web/test-results/visual/${name}.diff.png)`,
  ).toBeLessThanOrEqual(TOLERANCE)
}
