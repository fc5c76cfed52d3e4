import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm'
import type { Permission } from '@deskflow/shared'
import type { Db } from '../../db'
import { prepareArrayRows, tableRowReader } from '../../db/array-rows'
import { apiKeys } from '../../db/schema'
import { byPresentedKey, keyCheckColumns, keyCheckParams, type KeyCheckRow, type PresentedKey } from '../api-keys/key-check'
import type { ScopedTable } from './scoped-repo'

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
  /**
   * False for a key that is most likely refused (see `KeyAdmission.expectsRows`): the
   * key's row is read alone, by a plain key check, and an accepted request reads again.
   */
  readRows?: boolean
}

export interface CheckedListOptions {
  limit: number
  afterId?: string | undefined
  updatedSince?: Date | undefined
}

const EPOCH = new Date(0)
// The key check's columns as the key's row carries them, after the `part` column.
const KEY_COLUMNS = 7

/**
 * The checked list and get of one table: one statement each, the key and the rows from
 * one snapshot. One row of the answer is the key check (`part` 0, see
 * api-keys/key-check.ts), the table's columns null; the others are the rows (`part` 1), the
 * key's columns null: the key is sent and parsed once, not once per row.
 */
export function createCheckedReads<T extends ScopedTable>(db: Db, t: T) {
  type Row = T['$inferSelect']
  const columns = Object.values(getTableColumns(t))
  const rowColumns = sql.join(
    columns.map((c) => sql.identifier(c.name)),
    sql`, `,
  )
  const nulls = (n: number) => sql.raw(Array.from({ length: n }, () => 'null').join(', '))
  const keyCheck = db.select(keyCheckColumns).from(apiKeys).where(byPresentedKey)
  const served = sql`(k.refusal is null and ${sql.placeholder('permission')} = any(k.permissions) and cardinality(k.allowed_ips) = 0)`
  // No sort over the union: PostgreSQL's Append returns its branches one after the other,
  // the lateral subquery's rows in its own order (by id). Sorting the union by `part` and id
  // cost a tenth of the statement's time (measured with pgbench: 94 µs against 83 µs a page);
  // the reader finds the key's row by its `part` wherever it comes.
  const statement = (where: SQL, limit: SQL) => sql`with k as (${keyCheck})
    select 0 as part, k.id, k.store_id, k.permissions, k.allowed_ips, k.rate_limit_per_minute, k.refusal, ${served}, ${nulls(columns.length)} from k
    union all
    select 1, ${nulls(KEY_COLUMNS)}, r.* from k cross join lateral (
      select ${rowColumns} from ${t} where ${t.storeId} = k.store_id and ${served} and ${where} order by ${t.id} ${limit}
    ) r`

  const readRow = tableRowReader(t, 1 + KEY_COLUMNS) as (row: unknown[]) => Row
  const read = (rows: unknown[][]): CheckedRead<Row> => {
    const at = rows.findIndex((row) => row[0] === 0)
    const first = rows[at]
    if (!first) return { key: null, served: false, rows: [] }
    const key: KeyCheckRow = {
      id: first[1] as string,
      storeId: first[2] as string,
      permissions: first[3] as KeyCheckRow['permissions'],
      allowedIps: first[4] as string[],
      rateLimitPerMinute: first[5] as number,
      refusal: first[6] as KeyCheckRow['refusal'],
    }
    const out: Row[] = []
    for (let i = 0; i < rows.length; i++) if (i !== at) out.push(readRow(rows[i]!))
    return { key, served: first[7] as boolean, rows: out }
  }

  // The key check alone, its row in the first row's form (`served` false, no table columns).
  const keyOnly = prepareArrayRows(
    db,
    'api_key_check_rows',
    sql`select 0 as part, k.id, k.store_id, k.permissions, k.allowed_ips, k.rate_limit_per_minute, k.refusal, false from (${keyCheck}) k`,
  )

  const name = getTableName(t)
  const list = prepareArrayRows(
    db,
    `list_${name}_checked`,
    statement(
      sql`${t.id} > ${sql.placeholder('afterId')} and ${t.updatedAt} >= ${sql.placeholder('updatedSince')}`,
      sql`limit ${sql.placeholder('limit')}`,
    ),
  )
  const find = prepareArrayRows(db, `find_${name}_checked`, statement(sql`${t.id} = ${sql.placeholder('id')}`, sql``))

  return {
    /** A page as the scoped repository's `list` reads it, by a key checked in the same statement. */
    async list(
      { presented, permission, readRows }: CheckedAccess,
      { limit, afterId, updatedSince }: CheckedListOptions,
    ): Promise<CheckedRead<Row>> {
      if (readRows === false) return read(await keyOnly.execute(keyCheckParams(presented)))
      return read(
        await list.execute({
          ...keyCheckParams(presented),
          permission,
          afterId: afterId ?? '',
          updatedSince: updatedSince ?? EPOCH,
          limit,
        }),
      )
    },

    /** The row of `id`, by a key checked in the same statement. */
    async find({ presented, permission, readRows }: CheckedAccess, id: string): Promise<CheckedRead<Row>> {
      if (readRows === false) return read(await keyOnly.execute(keyCheckParams(presented)))
      return read(await find.execute({ ...keyCheckParams(presented), permission, id }))
    },
  }
}
