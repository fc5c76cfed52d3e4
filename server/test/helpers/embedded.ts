import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll } from 'vitest'
import { loadEmbeddedPostgres } from '../../src/db/embedded'
import { freePort } from './process'

/** A temporary DATA_DIR; as root the embedded database runs as `postgres`, which must enter it. */
export async function tempDataDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  await chmod(dir, 0o755)
  return dir
}

/**
 * Temporary DATA_DIRs for one test file (or describe block), removed after it. Call it
 * before starting what uses them: what is set up later is stopped first.
 */
export function useDataDirs(): (prefix: string) => Promise<string> {
  const made: string[] = []
  afterAll(async () => {
    await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })))
  })
  return async (prefix) => {
    const dir = await tempDataDir(prefix)
    made.push(dir)
    return dir
  }
}

/**
 * A DATA_DIR as the versions before generated passwords left it: superuser
 * `postgres`/`postgres`, pg_hba.conf as initdb wrote it, loopback TCP, and no
 * password file. Runs `setup` against its `deskflow` database, then stops.
 */
export async function createFormerDataDir(dataDir: string, setup: (client: pg.Client) => Promise<void>): Promise<void> {
  const EmbeddedPostgres = await loadEmbeddedPostgres()
  const port = await freePort()
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dataDir, 'postgres'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => {},
    onError: () => {},
  })
  await server.initialise()
  await server.start()
  try {
    const admin = new pg.Client(`postgres://postgres:postgres@127.0.0.1:${port}/postgres`)
    await admin.connect()
    await admin.query('CREATE DATABASE deskflow')
    await admin.end()
    const client = new pg.Client(`postgres://postgres:postgres@127.0.0.1:${port}/deskflow`)
    await client.connect()
    try {
      await setup(client)
    } finally {
      await client.end()
    }
  } finally {
    await server.stop()
  }
}
