import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded'
import { createFormerDataDir, useDataDirs } from './helpers/embedded'

/**
 * Who can reach the embedded PostgreSQL that `npm start` runs: only this server's
 * account, with the password generated into DATA_DIR; a DATA_DIR of an earlier
 * version (superuser postgres/postgres on loopback TCP) is closed on its next start.
 */
const newDataDir = useDataDirs()

/** 'connected', or why the connection was refused. */
async function tryConnect(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
  try {
    await client.connect()
    await client.query('select 1')
    return 'connected'
  } catch (err) {
    return (err as { code?: string }).code ?? (err as Error).message
  } finally {
    await client.end().catch(() => {})
  }
}

function withPassword(url: string, password: string): string {
  const u = new URL(url)
  u.password = password
  return u.toString()
}

const passwordOf = (url: string) => decodeURIComponent(new URL(url).password)
const mode = async (file: string) => (await stat(file)).mode & 0o777

/** pg_hba.conf methods other than password ones, e.g. `trust`, `password` (clear text) or `md5`. */
async function weakHbaLines(dataDir: string): Promise<string[]> {
  const lines = (await readFile(path.join(dataDir, 'postgres', 'pg_hba.conf'), 'utf8')).split('\n')
  return lines.filter((line) => line.trim() && !line.trim().startsWith('#') && !/\s(scram-sha-256|reject)\s*$/.test(line))
}

const asRoot = process.getuid?.() === 0
const hasSetpriv = ['/usr/bin/setpriv', '/bin/setpriv'].some((p) => existsSync(p))

describe('the embedded database', () => {
  let dataDir = ''
  let db: EmbeddedDatabase
  const logs: string[] = []

  beforeAll(async () => {
    dataDir = await newDataDir('deskflow-embedded-')
    db = await startEmbeddedPostgres(dataDir, { onLog: (m) => logs.push(m) })
  })
  afterAll(async () => {
    await db?.stop()
  })

  it('accepts its generated password and refuses postgres/postgres and no password', async () => {
    expect(await tryConnect(db.url)).toBe('connected')
    expect(passwordOf(db.url)).not.toBe('postgres')
    expect(await tryConnect(withPassword(db.url, 'postgres'))).toBe('28P01')
    expect(await tryConnect(withPassword(db.url, ''))).not.toBe('connected')
    expect(await weakHbaLines(dataDir)).toEqual([])
  })

  it('listens on no TCP address, only on a socket in DATA_DIR/run that only its account can enter', async () => {
    const client = new pg.Client(db.url)
    await client.connect()
    const { rows } = await client.query<{ listen_addresses: string }>('show listen_addresses')
    await client.end()
    expect(rows[0]!.listen_addresses).toBe('')
    const runDir = path.join(dataDir, 'run')
    expect(new URL(db.url).searchParams.get('host')).toBe(runDir)
    expect(await mode(runDir)).toBe(0o700)
    expect((await stat(runDir)).uid).toBe((await stat(path.join(dataDir, 'postgres'))).uid)
  })

  it('keeps its password in DATA_DIR/postgres.password, readable by its owner only, and never logs it', async () => {
    const file = path.join(dataDir, 'postgres.password')
    expect(await mode(file)).toBe(0o600)
    expect((await readFile(file, 'utf8')).trim()).toBe(passwordOf(db.url))
    expect(passwordOf(db.url)).toMatch(/^[0-9a-f]{64}$/)
    expect(logs.join('\n')).not.toContain(passwordOf(db.url))
  })

  it.runIf(asRoot && hasSetpriv)('refuses another account of this machine, even one that knows the password', async () => {
    const pgEntry = createRequire(import.meta.url).resolve('pg')
    const script = `const pg = require(${JSON.stringify(pgEntry)});
      new pg.Client(process.env.URL).connect().then(() => { console.log('connected'); process.exit(0) }, (e) => { console.log(e.code); process.exit(1) })`
    const output = await new Promise<string>((resolve) => {
      execFile(
        'setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script],
        { env: { URL: db.url, HOME: os.tmpdir() } },
        (_err, stdout, stderr) => resolve(`${stdout}${stderr}`.trim()),
      )
    })
    expect(output).toBe('EACCES')
  })
})

describe('a DATA_DIR made by an earlier version (postgres/postgres on loopback TCP)', () => {
  let dataDir = ''

  it('is upgraded on start: a new random password, pg_hba.conf without weak methods, its data kept', { timeout: 120_000 }, async () => {
    dataDir = await newDataDir('deskflow-embedded-former-')
    await createFormerDataDir(dataDir, async (client) => {
      await client.query('create table kept (value text)')
      await client.query(`insert into kept values ('still here')`)
    })
    expect(await weakHbaLines(dataDir)).not.toEqual([])
    expect(existsSync(path.join(dataDir, 'postgres.password'))).toBe(false)

    const logs: string[] = []
    const db = await startEmbeddedPostgres(dataDir, { onLog: (m) => logs.push(m) })
    try {
      const client = new pg.Client(db.url)
      await client.connect()
      expect((await client.query('select value from kept')).rows).toEqual([{ value: 'still here' }])
      await client.end()
      expect(await tryConnect(withPassword(db.url, 'postgres'))).toBe('28P01')
      expect(await weakHbaLines(dataDir)).toEqual([])
      expect(await mode(path.join(dataDir, 'postgres.password'))).toBe(0o600)
      expect(existsSync(path.join(dataDir, 'postgres.password.new'))).toBe(false)
      expect(logs.join('\n')).not.toContain(passwordOf(db.url))
    } finally {
      await db.stop()
    }

    // Started again: the same password, the same data.
    const again = await startEmbeddedPostgres(dataDir)
    try {
      expect(passwordOf(again.url)).toBe(passwordOf(db.url))
      expect(await tryConnect(again.url)).toBe('connected')
    } finally {
      await again.stop()
    }
  })

  it('finishes an upgrade that was cut off after the database took the new password', { timeout: 60_000 }, async () => {
    // The state a crash leaves between changing the password and renaming its file into place.
    const db = await startEmbeddedPostgres(dataDir)
    const pending = 'f'.repeat(64)
    const client = new pg.Client(db.url)
    await client.connect()
    await client.query(`ALTER ROLE postgres PASSWORD '${pending}'`)
    await client.end()
    await db.stop()
    await rm(path.join(dataDir, 'postgres.password'))
    await writeFile(path.join(dataDir, 'postgres.password.new'), `${pending}\n`, { mode: 0o600 })

    const resumed = await startEmbeddedPostgres(dataDir)
    try {
      expect(passwordOf(resumed.url)).toBe(pending)
      expect(await tryConnect(resumed.url)).toBe('connected')
      expect((await readFile(path.join(dataDir, 'postgres.password'), 'utf8')).trim()).toBe(pending)
      expect(existsSync(path.join(dataDir, 'postgres.password.new'))).toBe(false)
    } finally {
      await resumed.stop()
    }
  })
})

it('a DATA_DIR too deep for a socket path gets a private temporary socket folder, removed at stop', { timeout: 60_000 }, async () => {
  const dataDir = path.join(await newDataDir('deskflow-embedded-deep-'), 'd'.repeat(100))
  const db = await startEmbeddedPostgres(dataDir)
  const socketDir = new URL(db.url).searchParams.get('host')!
  try {
    expect(socketDir.startsWith(os.tmpdir())).toBe(true)
    expect(await mode(socketDir)).toBe(0o700)
    expect(await tryConnect(db.url)).toBe('connected')
  } finally {
    await db.stop()
  }
  expect(existsSync(socketDir)).toBe(false)
})
