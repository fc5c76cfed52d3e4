// The import rules that keep features apart (eslint.config.js), checked with ESLint
// itself on imports written into files of each layer: each forbidden import is
// reported, each allowed one is not.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'

const root = fileURLToPath(new URL('..', import.meta.url))
const eslint = new ESLint({ cwd: root })

async function restricted(filePath, source) {
  const [result] = await eslint.lintText(`${source}\nexport const used = imported\n`, { filePath: `${root}/${filePath}` })
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').length > 0
}

const cases = [
  // [file, import, forbidden?]
  ['server/src/features/orders/example.ts', '../webhooks/repo', true],
  ['server/src/features/orders/example.ts', '../webhooks/deliveries-repo', true],
  ['server/src/features/orders/example.ts', '../auth/routes', true],
  ['server/src/features/orders/example.ts', '../../container', true],
  ['server/src/features/orders/example.ts', '../../plugins/admin-scope', true],
  ['server/src/features/orders/example.ts', '../events/record', false],
  ['server/src/features/orders/example.ts', '../catalog/present', false],
  ['server/src/features/orders/example.ts', './repo', false],
  ['server/src/features/orders/example.ts', '../../db/schema', false],
  ['server/src/lib/example.ts', '../features/events/record', true],
  ['server/src/http/example.ts', '../features/audit/service', true],
  ['server/src/db/example.ts', '../container', true],
  ['server/src/http/example.ts', '../lib/errors', false],
  ['server/src/container.ts', './features/webhooks/repo', false],
  ['web/src/features/auth/components/example.tsx', '@/features/stores/api/get-stores', true],
  ['web/src/features/auth/components/example.tsx', '../../stores/api/get-stores', true],
  ['web/src/features/auth/components/example.tsx', '@/app/routes/home', true],
  ['web/src/features/auth/components/example.tsx', '@/features/auth/api/get-me', false],
  ['web/src/features/auth/components/example.tsx', '../api/login', false],
  ['web/src/features/auth/components/example.tsx', '@/components/ui/button', false],
  ['web/src/components/ui/example.tsx', '@/features/auth/api/get-me', true],
  ['web/src/lib/example.ts', '@/app/routes/home', true],
  ['web/src/app/routes/example.tsx', '@/features/auth/api/get-me', false],
]

for (const [file, from, forbidden] of cases) {
  test(`${file} importing ${from} is ${forbidden ? 'refused' : 'allowed'}`, async () => {
    assert.equal(await restricted(file, `import { imported } from '${from}'`), forbidden)
  })
}
