import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Db } from './db'
import { createAdminsRepo } from './features/auth/repo'
import { hashPassword } from './features/auth/passwords'
import { createStoresRepo } from './features/stores/repo'
import { newId, randomBase62 } from './lib/ids'
import { seedDemoCatalog } from './features/catalog/seed'

/**
 * SECRET_KEY from the environment, or (embedded mode only) one generated once into
 * DATA_DIR/secret.key with owner-only permissions.
 */
export async function resolveSecretKey(configured: string | undefined, dataDir: string): Promise<string> {
  if (configured) return configured
  const file = path.resolve(dataDir, 'secret.key')
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim()
  await mkdir(path.resolve(dataDir), { recursive: true })
  const key = randomBytes(48).toString('base64')
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' })
  return key
}

export interface BootstrapResult {
  createdAdmin?: { email: string; generatedPassword?: string }
}

/** When no admin exists: the first admin, owner of a store `demo`. Idempotent. */
export async function bootstrap(db: Db, admin: { email?: string; password?: string }): Promise<BootstrapResult> {
  return db.transaction(async (tx) => {
    const admins = createAdminsRepo(tx)
    const stores = createStoresRepo(tx)
    // One bootstrap at a time when several instances start together.
    await tx.execute('select pg_advisory_xact_lock(727001)')
    if ((await admins.count()) > 0) return {}
    const email = (admin.email ?? 'admin@example.com').toLowerCase()
    // Not a one-time password even when generated: the operator starting the server generated it
    // for themselves, in their own terminal, and nobody else has seen it (docs/teams.md).
    const generatedPassword = admin.password ? undefined : randomBase62(20)
    const created = await admins.insert({ id: newId('adm'), email, passwordHash: await hashPassword(admin.password ?? generatedPassword!) })
    let demo = await stores.findByKey('demo')
    if (!demo) {
      demo = await stores.insert({ id: newId('sto'), key: 'demo', name: 'Demo Store' })
      await seedDemoCatalog(tx, demo.id)
    }
    await stores.addMember(demo.id, created.id, 'owner')
    return { createdAdmin: { email, ...(generatedPassword && { generatedPassword }) } }
  })
}
