import pg from 'pg'
import { fillPlaceholders, getTableColumns, type SQL, type Table } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import type { Db } from '.'

// Date and time types arrive as PostgreSQL writes them, as drizzle's own statements
// read them; the columns' decoders (`isoFromPg`, `mode: 'date'`) take it from there.
const AS_TEXT = new Set([1082, 1114, 1115, 1182, 1184, 1185, 1186, 1187, 1231])
const types = {
  getTypeParser: (typeId: number, format?: string) =>
    AS_TEXT.has(typeId) ? (value: string) => value : pg.types.getTypeParser(typeId, format as 'text'),
}

const dialect = new PgDialect()

/** A named (prepared) statement whose rows come back as arrays of column values. */
export interface ArrayRowsStatement {
  execute(values: Record<string, unknown>): Promise<unknown[][]>
}

/**
 * A statement written with drizzle's `sql`, prepared once per connection by `name`, its
 * rows returned as arrays for a reader of the caller's (see `tableRowReader`). For the
 * busiest reads only: drizzle maps each value of each row through its generic selection
 * walker, which on a page of 20 joined rows cost more than the query's round trip (the
 * profile in docs/performance.md); a reader made once per statement does not.
 */
export function prepareArrayRows(db: Db, name: string, query: SQL): ArrayRowsStatement {
  const { sql, params } = dialect.sqlToQuery(query)
  // `drizzle(pool)` keeps the pool it was given (see `connect`).
  const pool = (db as Db & { $client: pg.Pool }).$client
  return {
    async execute(values) {
      const result = await pool.query<unknown[]>({ name, text: sql, values: fillPlaceholders(params, values), rowMode: 'array', types })
      return result.rows
    },
  }
}

type Decoder = (value: unknown) => unknown

/**
 * Reads one table's row out of an array row, its columns in the table's order from
 * `offset` (the order of `select()` without fields), through each column's decoder.
 */
export function tableRowReader<T extends Table>(table: T, offset: number): (row: unknown[]) => T['$inferSelect'] {
  const columns = Object.entries(getTableColumns(table)).map(([key, column], i): [string, number, Decoder] => [
    key,
    offset + i,
    (value) => column.mapFromDriverValue(value),
  ])
  return (row) => {
    const out: Record<string, unknown> = {}
    for (const [key, index, decode] of columns) {
      const value = row[index]
      out[key] = value === null || value === undefined ? null : decode(value)
    }
    return out as T['$inferSelect']
  }
}
