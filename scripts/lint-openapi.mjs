// `pnpm lint:openapi`: the running server's `/openapi.json`, linted by Redocly CLI with
// the rules of `redocly.yaml` (its recommended set). Fails on any error or warning.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ROOT, startServed } from './lib/served.mjs'

const server = await startServed()
let status
try {
  const document = await (await fetch(`${server.url}/openapi.json`)).text()
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'deskflow-openapi-')), 'openapi.json')
  fs.writeFileSync(file, document)
  const redocly = path.join(ROOT, 'node_modules/.bin/redocly')
  const run = spawnSync(
    redocly,
    ['lint', file, '--config', path.join(ROOT, 'redocly.yaml'), '--max-problems', '200', '--format', 'stylish'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  )
  const report = `${run.stdout}${run.stderr}`
  // Warnings fail too: the document is held to zero of either.
  const summary = /(\d+) errors? and (\d+) warnings?/.exec(report)
  const errors = summary ? Number(summary[1]) : 0
  const warnings = summary ? Number(summary[2]) : 0
  process.stdout.write(report.replace(/^\s*[╔║╚].*\n/gm, ''))
  console.log(`\nRedocly lint of /openapi.json (${document.length} bytes): ${errors} errors, ${warnings} warnings`)
  status = run.status === 0 && errors === 0 && warnings === 0 ? 0 : 1
} finally {
  await server.stop()
}
process.exit(status)
