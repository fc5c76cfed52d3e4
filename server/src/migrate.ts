import { ConfigError, loadConfig } from './config'
import { connect, runMigrations } from './db'
import { startEmbeddedPostgres } from './db/embedded'

/** Ops entry point: apply pending migrations and exit (the server also does this at start). */
try {
  const config = loadConfig()
  const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres(config.DATA_DIR)
  const database = connect(config.DATABASE_URL ?? embedded!.url)
  try {
    await runMigrations(database)
    process.stdout.write('Migrations applied.\n')
  } finally {
    await database.close()
    await embedded?.stop()
  }
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : `Migration failed: ${(err as Error).message}`}\n`)
  process.exitCode = 1
}
