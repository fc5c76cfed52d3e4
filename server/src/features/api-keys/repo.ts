import { and, asc, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../db'
import { apiKeys, type ApiKeyRow } from '../../db/schema'

export type NewApiKey = typeof apiKeys.$inferInsert
export type ApiKeyChanges = Partial<Omit<NewApiKey, 'id' | 'storeId' | 'key' | 'createdAt'>>

/** What verifying a key needs, and nothing else (no ciphertext, no description). */
const credentialColumns = {
  id: apiKeys.id,
  storeId: apiKeys.storeId,
  secretHash: apiKeys.secretHash,
  previousSecretHash: apiKeys.previousSecretHash,
  previousSecretValidUntil: apiKeys.previousSecretValidUntil,
  activated: apiKeys.activated,
  expiresAt: apiKeys.expiresAt,
  permissions: apiKeys.permissions,
  allowedIps: apiKeys.allowedIps,
  rateLimitPerMinute: apiKeys.rateLimitPerMinute,
}

export function createApiKeysRepo(db: Tx) {
  // Runs on every integrator request: built once, a named statement each connection parses once.
  const credentialsByKey = db
    .select(credentialColumns)
    .from(apiKeys)
    .where(eq(apiKeys.key, sql.placeholder('key')))
    .prepare('api_key_credentials_by_key')

  return {
    async credentialsByKey(key: string) {
      const [row] = await credentialsByKey.execute({ key })
      return row
    },

    async listByStore(storeId: string, tx: Tx = db): Promise<ApiKeyRow[]> {
      return tx.select().from(apiKeys).where(eq(apiKeys.storeId, storeId)).orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))
    },

    /**
     * `lock`: held until the transaction ends; `wait` queues behind another change of the
     * key, `nowait` fails at once (PostgreSQL 55P03) while another change holds it.
     */
    async findInStore(storeId: string, id: string, tx: Tx = db, lock?: 'wait' | 'nowait'): Promise<ApiKeyRow | undefined> {
      const query = tx
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.storeId, storeId), eq(apiKeys.id, id)))
      const [row] =
        lock === 'nowait' ? await query.for('update', { noWait: true }) : lock === 'wait' ? await query.for('update') : await query
      return row
    },

    async insert(values: NewApiKey, tx: Tx = db): Promise<ApiKeyRow> {
      const [row] = await tx.insert(apiKeys).values(values).returning()
      return row!
    },

    async update(storeId: string, id: string, changes: ApiKeyChanges, tx: Tx = db): Promise<ApiKeyRow | undefined> {
      const [row] = await tx
        .update(apiKeys)
        .set({ ...changes, updatedAt: new Date() })
        .where(and(eq(apiKeys.storeId, storeId), eq(apiKeys.id, id)))
        .returning()
      return row
    },

    async remove(storeId: string, id: string, tx: Tx = db): Promise<ApiKeyRow | undefined> {
      const [row] = await tx
        .delete(apiKeys)
        .where(and(eq(apiKeys.storeId, storeId), eq(apiKeys.id, id)))
        .returning()
      return row
    },
  }
}

export type ApiKeysRepo = ReturnType<typeof createApiKeysRepo>
