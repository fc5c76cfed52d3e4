// CPU time by process, read from /proc (Linux): what a run cost the server under test,
// PostgreSQL and the load generator (this process), per request. On a shared VM whose
// speed moves within minutes, throughput ratios need many rounds; CPU per request says
// where the time went in each one (docs/performance.md, "Where a request's time goes").
import fs from 'node:fs'

const TICKS = 100 // USER_HZ: clock ticks per second in /proc/<pid>/stat, 100 on Linux

/** utime + stime of a /proc/<pid>/stat text in seconds; with `children`, also cutime + cstime (its ended children's). */
function statSeconds(stat, children = false) {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const own = Number(fields[11]) + Number(fields[12])
  return (children ? own + Number(fields[13]) + Number(fields[14]) : own) / TICKS
}

/** The CPU seconds of one process, or null where /proc cannot tell. */
function cpuSeconds(pid) {
  try {
    return statSeconds(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return null
  }
}

/**
 * Every PostgreSQL process of the machine (the bench's database's, and any other idle
 * ones), with their ended children: a backend that exits during a run (a pool closing a
 * connection) moves its time into the postmaster's children's time, so it still counts.
 */
function postgresSeconds() {
  let total = 0
  let dirs
  try {
    dirs = fs.readdirSync('/proc')
  } catch {
    return null
  }
  for (const dir of dirs) {
    if (!/^\d+$/.test(dir)) continue
    try {
      const stat = fs.readFileSync(`/proc/${dir}/stat`, 'utf8')
      if (stat.includes('(postgres)') || stat.includes('(postmaster)')) total += statSeconds(stat, true)
    } catch {
      // the process ended meanwhile
    }
  }
  return total
}

function snapshot(serverPid) {
  return { server: cpuSeconds(serverPid), postgres: postgresSeconds(), loadGenerator: cpuSeconds(process.pid) }
}

/**
 * Runs `run` (resolving with an autocannon-style result that has `total`) and adds
 * `cpuPerRequest`: µs of CPU per request of the server (`serverPid`), of PostgreSQL and
 * of the load generator, or null parts where /proc is not there.
 */
export async function withCpu(serverPid, run) {
  const before = snapshot(serverPid)
  const result = await run()
  const after = snapshot(serverPid)
  const per = (part) =>
    before[part] === null || after[part] === null || !result.total
      ? null
      : Math.round(((after[part] - before[part]) / result.total) * 1e7) / 10
  return { ...result, cpuPerRequest: { server: per('server'), postgres: per('postgres'), loadGenerator: per('loadGenerator') } }
}
