// The web app's first-page JavaScript, as sent (brotli), against its budget: bench figure 7,
// run on every build by `pnpm check`. Fails (exit 1) over the budget, naming each file.
import { FIRST_PAGE_BUDGET_KB, webBundle } from '../bench/figures/web-bundle.mjs'

const result = await webBundle()
const kb = (bytes) => (bytes / 1024).toFixed(1)
for (const f of result.details.files) console.log(`  ${f.file}: ${kb(f.brotliBytes)} KB brotli (${kb(f.rawBytes)} KB raw)`)
console.log(`First-page JavaScript: ${result.value.toFixed(1)} KB brotli (budget ${FIRST_PAGE_BUDGET_KB} KB)`)
if (result.value > FIRST_PAGE_BUDGET_KB) {
  console.error(`Over the budget by ${(result.value - FIRST_PAGE_BUDGET_KB).toFixed(1)} KB: load the rest lazily, or drop a dependency.`)
  process.exit(1)
}
