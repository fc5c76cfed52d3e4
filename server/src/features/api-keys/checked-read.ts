import { getTableColumns, sql, type SQL } from 'drizzle-orm'
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Db } from '../../db'
import { prepareArrayRows, tableRowReader } from '../../db/array-rows'
import { apiKeys } from '../../db/schema'
import {
  byPresentedKey,
  keyCheckColumns,
  keyCheckParams,
  keyCheckRowAt,
  verificationOf,
  type KeyCheckRow,
  type PresentedKey,
  type Verification,
} from './key-check'

/**
 * A read that checks its API key in the same statement: the key's row (null for an
 * unknown key) and the rows, which the database only returns to a key it accepts and
 * that may read them (`served`; a key with an address allowlist is not served: the
 * caller checks the address, then reads again).
 */
export interface CheckedRead<Row> {
  key: KeyCheckRow | null
  served: boolean
  rows: Row[]
}

/**
 * A read whose API key was checked in the same statement as its data. The caller judges
 * `verification` first (refusing with 401, 403 or 429 as for any request); only then may
 * it ask for `answer()`, which refuses bad input (422) and presents what was read.
 */
export interface CheckedAnswer<T> {
  verification: Verification
  answer(): Promise<T>
}

/** The verification of a checked read, and its answer once the caller accepted it. */
export function checkedAnswer<T>(read: CheckedRead<unknown>, answer: (storeId: string) => Promise<T>): CheckedAnswer<T> {
  const verification = verificationOf(read.key)
  return {
    verification,
    answer: () => {
      if (!verification.ok) throw new Error('answer() of a read whose key was refused')
      return answer(verification.key.storeId)
    },
  }
}

// The key check's columns as the key's row carries them, after the `part` column.
const KEY_COLUMNS = 7

/** A table a checked read pages: rows of a store, by id. */
type StoreRows = PgTable & { id: AnyPgColumn; storeId: AnyPgColumn }

/** A checked read prepared once: its values are the key check's and the read's own placeholders. */
export type CheckedStatement<Row> = (values: Record<string, unknown>) => Promise<CheckedRead<Row>>

/** Whether a key the check accepted is read rows: no address allowlist (the caller checks it, then reads again). */
export const servedWithoutAllowlist = sql`(k.refusal is null and cardinality(k.allowed_ips) = 0)`

/**
 * Checked reads of one table: one statement each, the key and the rows from one snapshot.
 * One row of the answer is the key check (`part` 0, see api-keys/key-check.ts), the
 * table's columns null; the others are the rows (`part` 1), the key's columns null: the
 * key is sent and parsed once, not once per row. `served` says, from the key's row `k`,
 * whether the rows are read at all; `where` may refer to `k` too.
 */
export function createCheckedStatements<T extends StoreRows>(db: Db, t: T) {
  type Row = T['$inferSelect']
  const columns = Object.values(getTableColumns(t))
  const rowColumns = sql.join(
    columns.map((c) => sql.identifier(c.name)),
    sql`, `,
  )
  const nulls = (n: number) => sql.raw(Array.from({ length: n }, () => 'null').join(', '))
  const keyCheck = db.select(keyCheckColumns).from(apiKeys).where(byPresentedKey)

  const readRow = tableRowReader(t, 1 + KEY_COLUMNS) as (row: unknown[]) => Row
  const read = (rows: unknown[][]): CheckedRead<Row> => {
    const at = rows.findIndex((row) => row[0] === 0)
    const first = rows[at]
    if (!first) return { key: null, served: false, rows: [] }
    const key = keyCheckRowAt(first, 1)
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

  return {
    /** The key's row alone (`served` false), for a request that most likely is refused. */
    keyOnly: async (presented: PresentedKey): Promise<CheckedRead<Row>> => read(await keyOnly.execute(keyCheckParams(presented))),

    /** A checked read of the store's rows `where`, by id, prepared as `name`. */
    prepare(name: string, { served, where, limit = sql`` }: { served: SQL; where: SQL; limit?: SQL }): CheckedStatement<Row> {
      // No sort over the union: PostgreSQL's Append returns its branches one after the other,
      // the lateral subquery's rows in its own order (by id). Sorting the union by `part` and id
      // cost a tenth of the statement's time (measured with pgbench: 94 µs against 83 µs a page);
      // the reader finds the key's row by its `part` wherever it comes.
      const statement = prepareArrayRows(
        db,
        name,
        sql`with k as (${keyCheck})
    select 0 as part, k.id, k.store_id, k.permissions, k.allowed_ips, k.rate_limit_per_minute, k.refusal, ${served}, ${nulls(columns.length)} from k
    union all
    select 1, ${nulls(KEY_COLUMNS)}, r.* from k cross join lateral (
      select ${rowColumns} from ${t} where ${t.storeId} = k.store_id and ${served} and ${where} order by ${t.id} ${limit}
    ) r`,
      )
      return async (values) => read(await statement.execute(values))
    },
  }
}
