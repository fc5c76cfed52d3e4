import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { STORE_ROLES, type StoreRole } from '@deskflow/shared'
import { ConfigError, loadConfig, type Config } from './config'
import { connect, runMigrations, type Database } from './db'
import { startEmbeddedPostgres } from './db/embedded'
import { PASSWORD_FILE } from './db/embedded-access'
import { createAdminsRepo } from './features/auth/repo'
import { hashPassword } from './features/auth/passwords'
import { createStoresRepo } from './features/stores/repo'
import { rotateSecrets } from './features/secrets/rotate'
import { resolveSecretKey } from './bootstrap'
import { newId, randomBase62 } from './lib/ids'
import { createSecretBox } from './lib/secret-box'

/**
 * Ops commands against the server's database, for when the web app cannot help: the first
 * admin of a new store, a lost password. `node server/dist/cli.js help` (also `pnpm admin …`).
 */
const USAGE = `Usage: node server/dist/cli.js <command>

  admin create EMAIL                 a new admin; prints a generated password once, which they replace at first sign-in
  admin reset-password EMAIL         a new generated password, printed once, which they replace at their next sign-in;
                                     signs the admin out everywhere
  store create KEY NAME              a new store (KEY: lower-case letters, digits and dashes, as in /store/KEY)
  store add-member KEY EMAIL ROLE    adds an admin to a store, or changes their role (ROLE: owner, developer or viewer)
  secrets rotate [--batch-size N]    makes every stored secret again under SECRET_KEY (read with SECRET_KEY_PREVIOUS);
                                     safe beside running servers, and to interrupt and run again

Uses the server's settings: DATABASE_URL, or the embedded database in DATA_DIR (running or not).`

const STORE_KEY = /^[a-z0-9][a-z0-9-]{0,62}$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** A refusal the operator can act on: printed alone, exit code 1. */
class CliError extends Error {}

/**
 * The database: DATABASE_URL; else the embedded PostgreSQL of DATA_DIR, through its socket
 * when a server is running it (postmaster.pid), or started for the command and stopped after.
 */
async function openDatabase(config: Config): Promise<{ database: Database; close: () => Promise<void> }> {
  if (config.DATABASE_URL) {
    const database = connect(config.DATABASE_URL, { max: 2 })
    return { database, close: () => database.close() }
  }
  const dataDir = path.resolve(config.DATA_DIR)
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid')
  if (existsSync(pidFile)) {
    const lines = readFileSync(pidFile, 'utf8').split('\n')
    const running = (() => {
      try {
        process.kill(Number(lines[0]), 0)
        return true
      } catch {
        return false
      }
    })()
    if (running) {
      const password = readFileSync(path.join(dataDir, PASSWORD_FILE), 'utf8').trim()
      const url = `postgres://postgres:${encodeURIComponent(password)}@localhost:${Number(lines[3])}/deskflow?host=${encodeURIComponent(lines[4]!)}`
      const database = connect(url, { max: 2 })
      return { database, close: () => database.close() }
    }
  }
  const embedded = await startEmbeddedPostgres(dataDir)
  const database = connect(embedded.url, { max: 2 })
  return {
    database,
    close: async () => {
      await database.close()
      await embedded.stop()
    },
  }
}

function requireEmail(value: string | undefined): string {
  if (!value || !EMAIL.test(value))
    throw new CliError(`EMAIL: give an email address, e.g. ops@example.com (got ${JSON.stringify(value ?? '')})`)
  return value.toLowerCase()
}

async function run(args: string[], config: Config, print: (line: string) => void): Promise<void> {
  const [group, command, ...rest] = args
  const { database, close } = await openDatabase(config)
  try {
    await runMigrations(database)
    const { db } = database
    const admins = createAdminsRepo(db)
    const stores = createStoresRepo(db)

    if (group === 'admin' && command === 'create') {
      const email = requireEmail(rest[0])
      if (await admins.findByEmail(email))
        throw new CliError(`An admin ${email} already exists; use "admin reset-password ${email}" for a new password`)
      // Generated, never taken from the environment: ADMIN_PASSWORD there is the first admin's.
      const password = randomBase62(20)
      // Generated for someone else: a one-time password, replaced by their own at their first sign-in.
      await admins.insert({ id: newId('adm'), email, passwordHash: await hashPassword(password), passwordChangeRequired: true })
      print(`Admin ${email} created.`)
      print(`Password: ${password}   (shown once; a one-time password: at their first sign-in they must choose their own)`)
      print(`Add them to a store: node server/dist/cli.js store add-member KEY ${email} owner`)
      return
    }

    if (group === 'admin' && command === 'reset-password') {
      const email = requireEmail(rest[0])
      const admin = await admins.findByEmail(email)
      if (!admin) throw new CliError(`No admin ${email}`)
      const password = randomBase62(20)
      const signedOut = await db.transaction(async (tx) => {
        await admins.setPassword(admin.id, { passwordHash: await hashPassword(password), passwordChangeRequired: true }, tx)
        return admins.revokeAllSessions(admin.id, tx)
      })
      print(`New password for ${email}: ${password}   (shown once; a one-time password: at their next sign-in they must choose their own)`)
      print(`Signed out of ${signedOut} session${signedOut === 1 ? '' : 's'}.`)
      return
    }

    if (group === 'store' && command === 'create') {
      const [key, ...nameWords] = rest
      const name = nameWords.join(' ').trim()
      if (!key || !STORE_KEY.test(key))
        throw new CliError(`KEY: lower-case letters, digits and dashes, e.g. acme-shop (got ${JSON.stringify(key ?? '')})`)
      if (!name) throw new CliError('NAME: give the store a name, e.g. "Acme Shop"')
      if (await stores.findByKey(key)) throw new CliError(`A store ${key} already exists`)
      await stores.insert({ id: newId('sto'), key, name })
      print(`Store ${key} ("${name}") created. Add its first owner: node server/dist/cli.js store add-member ${key} EMAIL owner`)
      return
    }

    if (group === 'store' && command === 'add-member') {
      const [key, rawEmail, role] = rest
      const store = key ? await stores.findByKey(key) : undefined
      if (!store) throw new CliError(`No store ${JSON.stringify(key ?? '')}`)
      const email = requireEmail(rawEmail)
      const admin = await admins.findByEmail(email)
      if (!admin) throw new CliError(`No admin ${email}; create one first: node server/dist/cli.js admin create ${email}`)
      if (!STORE_ROLES.includes(role as StoreRole))
        throw new CliError(`ROLE: one of ${STORE_ROLES.join(', ')} (got ${JSON.stringify(role ?? '')})`)
      await stores.setMember(store.id, admin.id, role as StoreRole)
      print(`${email} is ${role} of store ${key}.`)
      return
    }

    if (group === 'secrets' && command === 'rotate') {
      const batchSize = rest[0] === '--batch-size' ? Number(rest[1]) : rest.length === 0 ? 500 : NaN
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
        throw new CliError(`--batch-size: a whole number from 1 to 10000 (got ${JSON.stringify(rest.join(' '))})`)
      const box = createSecretBox(await resolveSecretKey(config.SECRET_KEY, config.DATA_DIR), config.SECRET_KEY_PREVIOUS)
      print(`Making every stored secret again under the current key (${box.keyId}), ${batchSize} rows at a time.`)
      const report = await rotateSecrets(db, box, {
        batchSize,
        onProgress: ({ table, done, total }) => print(`  ${table}: ${done} of ${total}`),
      })
      print(
        `Done: ${report.apiKeys} API key${report.apiKeys === 1 ? '' : 's'} and ${report.webhooks} webhook${report.webhooks === 1 ? '' : 's'} rotated.`,
      )
      const { count, until } = report.previousSecretsUnderOldKeys
      if (count > 0)
        print(
          `${count} old API secret${count === 1 ? '' : 's'} still in a grace period after a regeneration ${count === 1 ? 'is' : 'are'} hashed under a previous key ` +
            `(only the hash is stored, so ${count === 1 ? 'it' : 'they'} cannot be made again): keep SECRET_KEY_PREVIOUS until ${until!.toISOString()} for ${count === 1 ? 'it' : 'them'} to keep working.`,
        )
      if (report.unreadable.length > 0) {
        for (const { table, id, problem } of report.unreadable) print(`  cannot read ${table} ${id}: ${problem}`)
        throw new CliError(
          `${report.unreadable.length} row${report.unreadable.length === 1 ? '' : 's'} made by a key that is neither SECRET_KEY nor in SECRET_KEY_PREVIOUS were left as they are; add that key to SECRET_KEY_PREVIOUS and run again.`,
        )
      }
      if (count === 0)
        print(
          'No stored secret needs SECRET_KEY_PREVIOUS any more. Admin sessions signed under a previous key stay valid until they expire ' +
            '(SESSION_TTL_HOURS): remove it then, or now to sign those sessions out.',
        )
      return
    }

    throw new CliError(USAGE)
  } finally {
    await close()
  }
}

const args = process.argv.slice(2)
if (args.length === 0 || ['help', '--help', '-h'].includes(args[0]!)) {
  process.stdout.write(`${USAGE}\n`)
} else {
  try {
    await run(args, loadConfig(), (line) => process.stdout.write(`${line}\n`))
  } catch (err) {
    process.stderr.write(`${err instanceof CliError || err instanceof ConfigError ? err.message : `Failed: ${(err as Error).message}`}\n`)
    process.exitCode = err instanceof CliError && err.message === USAGE ? 2 : 1
  }
}
