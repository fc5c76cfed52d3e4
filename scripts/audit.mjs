#!/usr/bin/env node
// `pnpm audit` at the high level over every workspace package (dev dependencies
// included: they run in CI and on developers' machines).
//
// Exit 1 when the registry reports a high or critical advisory. When the
// registry's audit endpoint cannot be reached or does not answer (some
// mirrors answer 405), nothing can be judged: say so plainly and exit 0, or
// exit 3 with --require (for a pipeline where the real registry is reachable).
// `--registry URL` asks another registry (the test uses a local one).
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const args = process.argv.slice(2)
const require = args.includes('--require')
const registry = args.includes('--registry') ? ['--registry', args[args.indexOf('--registry') + 1]] : []
// Through the repository's pinned pnpm launcher (works where pnpm is not on PATH).
const launcher = fileURLToPath(new URL('./pnpm.sh', import.meta.url))
const run = spawnSync('sh', [launcher, 'audit', '--audit-level', 'high', '--json', ...registry], { encoding: 'utf8' })
const out = `${run.stdout ?? ''}${run.stderr ?? ''}`

let report
try {
  report = JSON.parse(run.stdout)
} catch {
  report = undefined
}

if (!report || !report.metadata) {
  const reason = /ERR_PNPM_AUDIT_\w+/.exec(out)?.[0] ?? 'no audit report'
  const detail = /responded with (\d+)/.exec(out)?.[0] ?? (run.error?.message || out.trim().split('\n').slice(-3).join(' '))
  console.error(`audit: the registry's audit endpoint gave no report (${reason}: ${detail}); dependencies were NOT checked.`)
  process.exit(require ? 3 : 0)
}

const counts = report.metadata.vulnerabilities ?? {}
console.log(
  `audit: ${report.metadata.totalDependencies ?? '?'} dependencies; advisories: ` +
    ['critical', 'high', 'moderate', 'low', 'info'].map((level) => `${counts[level] ?? 0} ${level}`).join(', '),
)
for (const advisory of Object.values(report.advisories ?? {})) {
  if (advisory.severity === 'high' || advisory.severity === 'critical') {
    console.log(`  ${advisory.severity}: ${advisory.module_name} ${advisory.vulnerable_versions} — ${advisory.title} (${advisory.url})`)
  }
}
process.exit((counts.high ?? 0) + (counts.critical ?? 0) > 0 ? 1 : 0)
