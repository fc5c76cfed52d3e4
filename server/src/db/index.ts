import { fileURLToPath } from 'node:url'
import { existsSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import { Logger, runMigrations as runQueueMigrations } from 'graphile-worker'
import * as schema from './schema'

export type Db = NodePgDatabase<typeof schema>
/** A transaction or the database itself: repos accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db

export interface Database {
  db: Db
  pool: pg.Pool
  close(): Promise<void>
}

export function connect(url: string, options: { max?: number; onError?: (err: Error) => void } = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 })
  // A server restart kills idle connections; without handlers pg would crash the process.
  pool.on('error', (err) => options.onError?.(err))
  pool.on('connect', (client) => client.on('error', (err) => options.onError?.(err)))
  const db = drizzle(pool, { schema })
  return { db, pool, close: () => pool.end() }
}

/** Finds migrations/sql whether running from source, from the bundle or inside the image. */
export function migrationsFolder(): string {
  const here = path.dirname(fileURLToPath(import.meta.url))
  const candidates = [
    process.env.MIGRATIONS_DIR,
    path.resolve(here, '../../../migrations/sql'),
    path.resolve(here, '../../migrations/sql'),
    path.resolve(process.cwd(), 'migrations/sql'),
  ]
  const found = candidates.find((dir) => dir && existsSync(path.join(dir, 'meta/_journal.json')))
  if (!found) throw new Error(`migrations/sql not found (looked in ${candidates.filter(Boolean).join(', ')})`)
  return found
}

/** Our schema (drizzle-kit SQL), then graphile-worker's queue schema. Both are idempotent. */
export async function runMigrations(database: Pick<Database, 'db' | 'pool'>): Promise<void> {
  await migrate(database.db, { migrationsFolder: migrationsFolder() })
  await runQueueMigrations({ pgPool: database.pool, logger: quietLogger })
}

/** graphile-worker logs to the console by default; its migration chatter is not needed. */
const quietLogger = new Logger(() => () => {})
