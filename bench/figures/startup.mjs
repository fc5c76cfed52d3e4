// Figure 8: spawn → "Deskflow is running" printed and GET /health/ready answering 200,
// on the embedded database: a first run (empty DATA_DIR: initdb, migrations, first
// admin, demo seed) and restarts on the data that run left.
import { tempDataDir } from '../lib/db.mjs'
import { startServer } from '../lib/procs.mjs'
import { median, round } from '../lib/stats.mjs'
import { figure } from '../lib/verdict.mjs'

export async function startup({ existingRuns, admin }) {
  const dataDir = tempDataDir('startup')
  const env = { DATA_DIR: dataDir, ROLE: 'all', ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password, LOG_LEVEL: 'info' }
  const first = await startServer({ name: 'startup-first-run', env, pipe: true, dataDir })
  await first.stop()
  const existing = []
  for (let i = 0; i < existingRuns; i++) {
    const s = await startServer({ name: `startup-existing-${i + 1}`, env, pipe: true, dataDir })
    existing.push(s.timing)
    await s.stop()
  }
  const existingMs = median(existing.map((t) => t.readyMs))
  const firstMs = first.timing.readyMs
  return [
    figure({
      id: '8a',
      name: 'start → ready, embedded DB, existing data',
      value: existingMs / 1000,
      unit: 's',
      target: { op: '<=', value: 2, unit: 's' },
      details: { runs: existing.map((t) => ({ lineMs: round(t.lineMs), readyMs: round(t.readyMs) })), statistic: 'median of runs' },
    }),
    figure({
      id: '8b',
      name: 'start → ready, embedded DB, first run',
      value: firstMs / 1000,
      unit: 's',
      target: { op: '<=', value: 10, unit: 's' },
      details: { lineMs: round(first.timing.lineMs), readyMs: round(firstMs) },
    }),
  ]
}
