import { and, asc, eq } from 'drizzle-orm'
import type { Tx } from '../../db'
import { apiKeys, type ApiKeyRow } from '../../db/schema'

export type NewApiKey = typeof apiKeys.$inferInsert
export type ApiKeyChanges = Partial<Omit<NewApiKey, 'id' | 'storeId' | 'key' | 'createdAt'>>

export function createApiKeysRepo(db: Tx) {
  return {
    async listByStore(storeId: string, tx: Tx = db): Promise<ApiKeyRow[]> {
      return tx.select().from(apiKeys).where(eq(apiKeys.storeId, storeId)).orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))
    },

    async findInStore(storeId: string, id: string, tx: Tx = db): Promise<ApiKeyRow | undefined> {
      const [row] = await tx.select().from(apiKeys).where(and(eq(apiKeys.storeId, storeId), eq(apiKeys.id, id)))
      return row
    },

    async findByKey(key: string, tx: Tx = db): Promise<ApiKeyRow | undefined> {
      const [row] = await tx.select().from(apiKeys).where(eq(apiKeys.key, key))
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
      const [row] = await tx.delete(apiKeys).where(and(eq(apiKeys.storeId, storeId), eq(apiKeys.id, id))).returning()
      return row
    },

    async touchLastUsed(id: string, at: Date, tx: Tx = db): Promise<void> {
      await tx.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id))
    },
  }
}

export type ApiKeysRepo = ReturnType<typeof createApiKeysRepo>
