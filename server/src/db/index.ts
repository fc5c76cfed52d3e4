import { fileURLToPath } from 'node:url'
import { existsSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import { readMigrationFiles } from 'drizzle-orm/migrator'
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

/**
 * Whether every migration in the folder is recorded as applied. drizzle's migrator runs
 * CREATE SCHEMA/TABLE IF NOT EXISTS even when nothing is pending, which a role without
 * DDL rights may not do: checking first lets such a role start once the owner migrated.
 */
async function schemaIsCurrent(pool: pg.Pool, folder: string): Promise<boolean> {
  const latest = Math.max(...readMigrationFiles({ migrationsFolder: folder }).map((m) => m.folderMillis))
  try {
    const { rows } = await pool.query<{ applied: string | null }>('select max(created_at) as applied from drizzle.__drizzle_migrations')
    return Number(rows[0]?.applied ?? 0) >= latest
  } catch (err) {
    // No migration table yet, or not readable by this role: let the migrator say what it can.
    if (['42P01', '3F000', '42501'].includes((err as { code?: string }).code ?? '')) return false
    throw err
  }
}

/** Our schema (drizzle-kit SQL), then graphile-worker's queue schema. Both are idempotent. */
export async function runMigrations(database: Pick<Database, 'db' | 'pool'>): Promise<void> {
  const folder = migrationsFolder()
  try {
    if (!(await schemaIsCurrent(database.pool, folder))) await migrate(database.db, { migrationsFolder: folder })
    await runQueueMigrations({ pgPool: database.pool, logger: quietLogger })
  } catch (err) {
    if (!isPermissionDenied(err)) throw err
    throw new Error(
      'The database schema needs migrating, which this database role may not do. Run `node server/dist/migrate.js` ' +
        'with DATABASE_URL set to the role that owns the schema, then start again (see docs/security.md).',
      { cause: err },
    )
  }
}

function isPermissionDenied(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code === '42501') return true
  }
  return false
}

/** graphile-worker logs to the console by default; its migration chatter is not needed. */
const quietLogger = new Logger(() => () => {})
