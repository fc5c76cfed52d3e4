import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { startEmbeddedPostgres } from '../../src/db/embedded'

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string
    embedded: boolean
  }
}

/**
 * Tests run against DATABASE_URL when it is set (CI: the machine's PostgreSQL);
 * otherwise against the embedded PostgreSQL the server itself uses by default.
 */
export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('databaseUrl', process.env.DATABASE_URL)
    project.provide('embedded', false)
    return
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'deskflow-test-pg-'))
  // mkdtemp makes the folder owner-only; as root the database runs as another user.
  await chmod(dir, 0o755)
  const embedded = await startEmbeddedPostgres(dir, { database: 'postgres' })
  project.provide('databaseUrl', embedded.url)
  project.provide('embedded', true)
  return async () => {
    await embedded.stop()
    await rm(dir, { recursive: true, force: true })
  }
}
