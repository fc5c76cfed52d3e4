import { and, desc, eq, ilike, like, or, sql, type SQL } from 'drizzle-orm'
import { KEY_SECRET_MAX_AGE_DAYS, KEY_UNUSED_DAYS } from '@deskflow/shared'
import type { Db, Tx } from '../../db'
import { prepareArrayRows } from '../../db/array-rows'
import { apiKeys, type ApiKeyRow } from '../../db/schema'
import { byPresentedKey, keyCheckColumns, keyCheckParams, keyCheckRowAt, type KeyCheckRow, type PresentedKey } from './key-check'

export type NewApiKey = typeof apiKeys.$inferInsert
/** What an update may set: values, or SQL such as `now()` (the database's clock). */
export type ApiKeyChanges = { [K in keyof Omit<NewApiKey, 'id' | 'storeId' | 'key' | 'createdAt'>]?: NewApiKey[K] | SQL }

/** The advisory lock class of changes of a key (two-integer form: the class, then `hashtext` of its id). */
const KEY_CHANGES = 7272

export function createApiKeysRepo(db: Db) {
  // Runs on every integrator request that is not a checked read: built once, a named
  // statement each connection parses once, its row read as an array (drizzle's generic row
  // mapping and its tracing spans cost more than the row; docs/performance.md).
  const keyCheck = prepareArrayRows(db, 'api_key_check', db.select(keyCheckColumns).from(apiKeys).where(byPresentedKey).getSQL())

  return {
    /** The key's row and why it is refused, if it is (see `key-check.ts`); undefined for an unknown key. */
    async keyCheck(presented: PresentedKey): Promise<KeyCheckRow | undefined> {
      const [row] = await keyCheck.execute(keyCheckParams(presented))
      return row && keyCheckRowAt(row, 0)
    },

    /**
     * Newest first, after the key `afterId` (compared in the database at the column's full
     * precision). `search` is matched as text, its `%`, `_` and `\\` taken literally.
     */
    async listPage(
      storeId: string,
      options: { limit: number; afterId?: string | undefined; search?: string | undefined; review?: boolean },
      tx: Tx = db,
    ): Promise<ApiKeyRow[]> {
      const { limit, afterId, search, review } = options
      // Due for review: unused for KEY_UNUSED_DAYS (never used: since created), or an old secret.
      const due = review
        ? sql`(coalesce(${apiKeys.lastUsedAt}, ${apiKeys.createdAt}) <= now() - make_interval(days => ${KEY_UNUSED_DAYS})
            or ${apiKeys.secretCreatedAt} <= now() - make_interval(days => ${KEY_SECRET_MAX_AGE_DAYS}))`
        : undefined
      const after = afterId
        ? sql`(${apiKeys.createdAt}, ${apiKeys.id}) < (select seen.created_at, seen.id from ${apiKeys} seen where seen.id = ${afterId} and seen.store_id = ${storeId})`
        : undefined
      const literal = search?.replace(/[\\%_]/g, '\\$&')
      const matching = literal ? or(ilike(apiKeys.description, `%${literal}%`), like(apiKeys.key, `${literal}%`)) : undefined
      return tx
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.storeId, storeId), after, matching, due))
        .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
        .limit(limit)
    },

    /** `lock`: the row `for no key update` until the transaction ends (after `lockChange`, see there). */
    async findInStore(storeId: string, id: string, tx: Tx = db, lock = false): Promise<ApiKeyRow | undefined> {
      const query = tx
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.storeId, storeId), eq(apiKeys.id, id)))
      const [row] = lock ? await query.for('no key update') : await query
      return row
    },

    /**
     * One change of a key at a time by the admin API (edit, deletion, regeneration): an
     * advisory lock until the transaction ends, which the key's last use (`markUsed`, which
     * locks the row) does not take, so only another change makes a change wait, or with
     * `wait: false` fail (false: another change holds it).
     */
    async lockChange(id: string, tx: Tx, wait = true): Promise<boolean> {
      const lock = sql.raw(String(KEY_CHANGES))
      if (wait) {
        await tx.execute(sql`select pg_advisory_xact_lock(${lock}, hashtext(${id}))`)
        return true
      }
      const result = await tx.execute<{ taken: boolean }>(sql`select pg_try_advisory_xact_lock(${lock}, hashtext(${id})) as taken`)
      return result.rows[0]?.taken === true
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
