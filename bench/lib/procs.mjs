import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../scripts/lib/served.mjs'
import { onCleanup } from './cleanup.mjs'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const RESULTS = path.join(ROOT, 'bench/results')
export const LOGS = path.join(RESULTS, 'logs')

/** What main.ts prints once it serves: the API ("Deskflow is running at …") or a worker's health. */
const READY_LINE = /Deskflow (delivery worker )?is running/

export { freePort }

/**
 * The previous run's logs are kept beside this run's (`logs-previous/`), so that a run that
 * went wrong can still be read after the next one started; older ones are dropped (a full
 * run's server log is tens of megabytes).
 */
export function keepPreviousLogs() {
  if (!fs.existsSync(LOGS)) return
  const previous = path.join(RESULTS, 'logs-previous')
  fs.rmSync(previous, { recursive: true, force: true })
  fs.renameSync(LOGS, previous)
}

function alive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function waitExit(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return true
  return Promise.race([new Promise((r) => child.once('exit', () => r(true))), sleep(ms).then(() => false)])
}

/**
 * A server started from DATA_DIR runs its own PostgreSQL. If the server died without
 * stopping it (SIGKILL), stop that postmaster by the pid it wrote, and nothing else.
 */
export async function stopOrphanPostgres(dataDir) {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid')
  if (!fs.existsSync(pidFile)) return
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0])
  if (!(pid > 0) || !alive(pid)) return
  process.kill(pid, 'SIGINT') // fast shutdown
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(100)
  if (alive(pid)) process.kill(pid, 'SIGKILL')
}

/**
 * The embedded PostgreSQL of a DATA_DIR, for other processes: its socket folder and port
 * from postmaster.pid, its generated password from DATA_DIR/postgres.password.
 */
export function embeddedUrl(dataDir, database = 'deskflow') {
  const lines = fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')
  const password = fs.readFileSync(path.join(dataDir, 'postgres.password'), 'utf8').trim()
  const port = Number(lines[3])
  const socketDir = lines[4]
  return `postgres://postgres:${encodeURIComponent(password)}@localhost:${port}/${database}?host=${encodeURIComponent(socketDir)}`
}

async function httpOk(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
    await res.arrayBuffer()
    return res.status === 200
  } catch {
    return false
  }
}

/**
 * Starts the built server (server/dist/main.js). Output goes straight to a log file
 * (the bench process never parses request logs under load) unless `pipe` is set, in
 * which case the bench reads stdout to time the "Deskflow is running" line exactly.
 * Resolves once that line is printed and /health/ready answers 200.
 */
export async function startServer({ name, env, pipe = false, cpuProfDir, timeoutMs = 60_000, dataDir }) {
  fs.mkdirSync(LOGS, { recursive: true })
  const port = Number(env.PORT) || (await freePort())
  const logFile = path.join(LOGS, `${name}.log`)
  const fd = fs.openSync(logFile, 'w')
  const childEnv = { ...process.env, HOST: '127.0.0.1', ...env, PORT: String(port) }
  if (!('DATABASE_URL' in env)) delete childEnv.DATABASE_URL
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k]
  const args = []
  if (cpuProfDir) {
    fs.mkdirSync(cpuProfDir, { recursive: true })
    args.push('--cpu-prof', '--cpu-prof-dir', cpuProfDir, `--cpu-prof-name=${name}.${Date.now()}.cpuprofile`)
  }
  args.push(path.join(ROOT, 'server/dist/main.js'))
  const spawnedAt = performance.now()
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', pipe ? 'pipe' : fd, fd],
  })
  let lineAt = null
  let output = ''
  if (pipe) {
    child.stdout.on('data', (chunk) => {
      fs.writeSync(fd, chunk)
      if (lineAt === null) {
        output += chunk.toString()
        if (READY_LINE.test(output)) lineAt = performance.now()
      }
    })
  }
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  let stopped = false
  const stop = onCleanup(`server ${name}`, async () => {
    stopped = true
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      if (!(await waitExit(child, 20_000))) {
        child.kill('SIGKILL')
        await waitExit(child, 5_000)
      }
    }
    if (dataDir) await stopOrphanPostgres(dataDir)
    fs.closeSync(fd)
  })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + timeoutMs
  let readyAt = null
  let early = null
  void exited.then((e) => (early = e))
  while (Date.now() < deadline) {
    if (early && !stopped) {
      await stop()
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n')
      throw new Error(`server ${name} exited during start (${early.code ?? early.signal}); last log lines:\n${tail}`)
    }
    if (lineAt === null && !pipe) {
      if (READY_LINE.test(fs.readFileSync(logFile, 'utf8'))) lineAt = performance.now()
    }
    if (lineAt !== null && (await httpOk(`${url}/health/ready`))) {
      readyAt = performance.now()
      break
    }
    await sleep(pipe ? 2 : 20)
  }
  if (readyAt === null) {
    await stop()
    throw new Error(`server ${name} not ready within ${timeoutMs / 1000} s (see ${path.relative(ROOT, logFile)})`)
  }
  return {
    name,
    url,
    port,
    pid: child.pid,
    child,
    logFile,
    timing: { lineMs: lineAt - spawnedAt, readyMs: readyAt - spawnedAt },
    stop,
    exited,
  }
}

/** Any other long-running child (the baseline server): stopped with SIGTERM, then SIGKILL. */
export function startChild(name, args, env) {
  fs.mkdirSync(LOGS, { recursive: true })
  const logFile = path.join(LOGS, `${name}.log`)
  const fd = fs.openSync(logFile, 'w')
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', fd] })
  const stop = onCleanup(name, async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      if (!(await waitExit(child, 10_000))) {
        child.kill('SIGKILL')
        await waitExit(child, 5_000)
      }
    }
    fs.closeSync(fd)
  })
  return { child, stop, logFile }
}
