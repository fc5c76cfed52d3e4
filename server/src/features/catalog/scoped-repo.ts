import { and, asc, eq, getTableName, gt, gte, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db'
import type { categories, customers, orders, products } from '../../db/schema'

/** The integrator resources' tables: each row belongs to one store. */
export type ScopedTable = typeof categories | typeof products | typeof customers | typeof orders

export interface ListOptions {
  limit: number
  afterId?: string
  updatedSince?: Date
}

const EPOCH = new Date(0)

// Every scoped table has these columns; one of them stands for all in the query builder.
const inStore = (t: typeof products, storeId: string, id: string) => and(eq(t.storeId, storeId), eq(t.id, id))

/** Whether `id` names a row of `table` in the store. */
export async function existsInStore(tx: Tx, table: ScopedTable, storeId: string, id: string): Promise<boolean> {
  const t = table as typeof products
  const [row] = await tx
    .select({ id: t.id })
    .from(t)
    .where(inStore(t, storeId, id))
  return row !== undefined
}

/**
 * Store-scoped CRUD queries shared by the integrator resources. Every query names
 * the store, so an id from another store is simply not found.
 */
export function createScopedRepo<T extends ScopedTable>(db: Db, table: T) {
  type Row = T['$inferSelect']
  type Insert = T['$inferInsert']
  const t = table as typeof products
  const byId = (storeId: string, id: string) => inStore(t, storeId, id)
  // The list, the integrator API's busiest query, is built once and prepared (named)
  // on each connection. A missing cursor or `updated_since` is a bound that every row
  // passes, so one statement serves every page and both stay usable by the index.
  const listStatement = db
    .select()
    .from(t)
    .where(
      and(
        eq(t.storeId, sql.placeholder('storeId')),
        gt(t.id, sql.placeholder('afterId')),
        gte(t.updatedAt, sql.placeholder('updatedSince')),
      ),
    )
    .orderBy(asc(t.id))
    .limit(sql.placeholder('limit'))
    .prepare(`list_${getTableName(t)}`)

  return {
    async list(storeId: string, { limit, afterId, updatedSince }: ListOptions): Promise<Row[]> {
      return (await listStatement.execute({ storeId, afterId: afterId ?? '', updatedSince: updatedSince ?? EPOCH, limit })) as Row[]
    },

    async find(storeId: string, id: string, tx: Tx = db, forUpdate = false): Promise<Row | undefined> {
      const query = tx.select().from(t).where(byId(storeId, id))
      const [row] = forUpdate ? await query.for('update') : await query
      return row as Row | undefined
    },

    async insert(values: Insert, tx: Tx = db): Promise<Row> {
      const [row] = await tx
        .insert(t)
        .values(values as typeof products.$inferInsert)
        .returning()
      return row as Row
    },

    async update(storeId: string, id: string, changes: Partial<Insert>, tx: Tx = db): Promise<Row | undefined> {
      const [row] = await tx
        .update(t)
        .set({ ...(changes as Partial<typeof products.$inferInsert>), updatedAt: new Date().toISOString() })
        .where(byId(storeId, id))
        .returning()
      return row as Row | undefined
    },

    async remove(storeId: string, id: string, tx: Tx = db): Promise<Row | undefined> {
      const [row] = await tx.delete(t).where(byId(storeId, id)).returning()
      return row as Row | undefined
    },
  }
}

export type ScopedRepo<T extends ScopedTable> = ReturnType<typeof createScopedRepo<T>>
