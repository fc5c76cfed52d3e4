import { and, asc, eq, getTableName, gt, gte, sql } from 'drizzle-orm'
import type { Permission } from '@deskflow/shared'
import type { Db, Tx } from '../../db'
import { prepareArrayRows, tableRowReader } from '../../db/array-rows'
import { apiKeys, type categories, type customers, type orders, type products } from '../../db/schema'
import { byPresentedKey, keyCheckColumns, keyCheckParams, type KeyCheckRow, type PresentedKey } from '../api-keys/key-check'

/** The integrator resources' tables: each row belongs to one store. */
export type ScopedTable = typeof categories | typeof products | typeof customers | typeof orders

export interface ListOptions {
  limit: number
  afterId?: string
  updatedSince?: Date
}

const EPOCH = new Date(0)

/**
 * A read that checks its API key in the same statement: the key's row (null for an
 * unknown key) and the rows, which the database only returns to a key it accepts, that
 * holds `permission` and has no address allowlist (the allowlist is checked by the
 * caller, which then reads again: `served` says whether the rows were read).
 */
export interface CheckedRead<Row> {
  key: KeyCheckRow | null
  served: boolean
  rows: Row[]
}

export interface CheckedAccess {
  presented: PresentedKey
  permission: Permission
}

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

  // Key and data from one snapshot: `k` is the key check (see api-keys/key-check.ts);
  // the rows join it laterally, so a refused key reads no row at all.
  const k = db.$with('k').as(db.select(keyCheckColumns).from(apiKeys).where(byPresentedKey))
  const served = sql<boolean>`(${k.refusal} is null and ${sql.placeholder('permission')} = any(${k.permissions}) and cardinality(${k.allowedIps}) = 0)`
  const checkedListRows = db
    .select()
    .from(t)
    .where(and(eq(t.storeId, k.storeId), served, gt(t.id, sql.placeholder('afterId')), gte(t.updatedAt, sql.placeholder('updatedSince'))))
    .orderBy(asc(t.id))
    .limit(sql.placeholder('limit'))
    .as('r')
  const keyFields = { ...k._.selectedFields, served: served.as('served') }
  if (Object.keys(keyFields).join() !== KEY_FIELDS) throw new Error(`key check columns changed: update readKeyCheck (${KEY_FIELDS})`)
  const readRow = tableRowReader(t, Object.keys(keyFields).length) as (row: unknown[]) => Row | null
  const checkedList = prepareArrayRows(
    db,
    `list_${getTableName(t)}_checked`,
    db
      .with(k)
      .select({ key: keyFields, row: checkedListRows._.selectedFields })
      .from(k)
      .leftJoinLateral(checkedListRows, sql`true`)
      .orderBy(asc(checkedListRows.id)),
    (row) => ({ key: readKeyCheck(row), row: readRow(row) }),
  )
  const checkedFindRow = db
    .select()
    .from(t)
    .where(and(eq(t.storeId, k.storeId), served, eq(t.id, sql.placeholder('id'))))
    .as('r')
  const checkedFind = prepareArrayRows(
    db,
    `find_${getTableName(t)}_checked`,
    db
      .with(k)
      .select({ key: keyFields, row: checkedFindRow._.selectedFields })
      .from(k)
      .leftJoinLateral(checkedFindRow, sql`true`),
    (row) => ({ key: readKeyCheck(row), row: readRow(row) }),
  )

  return {
    async list(storeId: string, { limit, afterId, updatedSince }: ListOptions): Promise<Row[]> {
      return (await listStatement.execute({ storeId, afterId: afterId ?? '', updatedSince: updatedSince ?? EPOCH, limit })) as Row[]
    },

    /** A page as `list` reads it, by a key checked in the same statement. */
    async listChecked({ presented, permission }: CheckedAccess, { limit, afterId, updatedSince }: ListOptions): Promise<CheckedRead<Row>> {
      const result = await checkedList.execute({
        ...keyCheckParams(presented),
        permission,
        afterId: afterId ?? '',
        updatedSince: updatedSince ?? EPOCH,
        limit,
      })
      return checkedRead(result)
    },

    /** The row `find` reads, by a key checked in the same statement. */
    async findChecked({ presented, permission }: CheckedAccess, id: string): Promise<CheckedRead<Row>> {
      const result = await checkedFind.execute({ ...keyCheckParams(presented), permission, id })
      return checkedRead(result)
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

const KEY_FIELDS = 'id,storeId,permissions,allowedIps,rateLimitPerMinute,refusal,served'

/** The key check's columns, first in a checked read's rows (see `keyFields`), in KEY_FIELDS' order. */
function readKeyCheck(row: unknown[]): KeyCheckRow & { served: boolean } {
  return {
    id: row[0] as string,
    storeId: row[1] as string,
    permissions: row[2] as KeyCheckRow['permissions'],
    allowedIps: row[3] as string[],
    rateLimitPerMinute: row[4] as number,
    refusal: row[5] as KeyCheckRow['refusal'],
    served: row[6] as boolean,
  }
}

function checkedRead<Row>(result: { key: KeyCheckRow & { served: boolean }; row: Row | null }[]): CheckedRead<Row> {
  const first = result[0]
  if (!first) return { key: null, served: false, rows: [] }
  const { served, ...key } = first.key
  return { key, served, rows: result.flatMap((r) => (r.row ? [r.row] : [])) }
}

export type ScopedRepo<T extends ScopedTable> = ReturnType<typeof createScopedRepo<T>>
