import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { onCleanup } from './cleanup.mjs'
import { embeddedUrl } from './procs.mjs'
import { importFromServer } from './server-deps.mjs'

const pg = await importFromServer('pg')

/** A temporary DATA_DIR; as root PostgreSQL runs as `postgres`, which must be able to enter it. */
export function tempDataDir(label) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `deskflow-bench-${label}-`))
  fs.chmodSync(dir, 0o755)
  onCleanup(`remove ${dir}`, async () => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

/**
 * Where the servers under test keep their data. With DATABASE_URL: a fresh database
 * on that server, dropped at the end. Without: the embedded PostgreSQL that the first
 * server starts in a temporary DATA_DIR (other processes connect to it afterwards).
 */
export async function prepareDatabase() {
  const base = process.env.DATABASE_URL
  if (!base) {
    const dataDir = tempDataDir('main')
    return {
      mode: 'embedded',
      label: 'embedded PostgreSQL (server-managed, temp DATA_DIR)',
      dataDir,
      serverEnv: { DATA_DIR: dataDir },
      /** For processes other than the first server: valid once that server has started. */
      shared: () => ({
        url: embeddedUrl(dataDir),
        env: {
          DATABASE_URL: embeddedUrl(dataDir),
          SECRET_KEY: fs.readFileSync(path.join(dataDir, 'secret.key'), 'utf8').trim(),
          DATA_DIR: dataDir,
        },
      }),
    }
  }
  const name = `deskflow_bench_${process.pid}_${randomBytes(3).toString('hex')}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  try {
    await admin.query(`create database "${name}"`)
  } finally {
    await admin.end()
  }
  onCleanup(`drop database ${name}`, async () => {
    const c = new pg.Client({ connectionString: base })
    await c.connect()
    try {
      await c.query(`drop database if exists "${name}" with (force)`)
    } finally {
      await c.end()
    }
  })
  const u = new URL(base)
  u.pathname = `/${name}`
  const url = u.toString()
  const secretKey = randomBytes(48).toString('base64')
  const dataDir = tempDataDir('main')
  const env = { DATABASE_URL: url, SECRET_KEY: secretKey, DATA_DIR: dataDir }
  const version = await query(url, 'show server_version')
  return {
    mode: 'url',
    label: `PostgreSQL ${version.rows[0].server_version} at ${u.host} (fresh database ${name})`,
    dataDir,
    serverEnv: env,
    shared: () => ({ url, env }),
  }
}

/** One query on its own short-lived connection (setup and checks, never under load). */
export async function query(url, text, params) {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return await c.query(text, params)
  } finally {
    await c.end()
  }
}
