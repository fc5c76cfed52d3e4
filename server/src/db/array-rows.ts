import pg from 'pg'
import { fillPlaceholders, getTableColumns, SQL, type Table } from 'drizzle-orm'
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

/** A statement built with drizzle's query builder, whose rows a hand-made reader maps. */
export interface ArrayRowsStatement<T> {
  execute(values: Record<string, unknown>): Promise<T[]>
}

/**
 * A named (prepared) statement whose rows come back as arrays and are mapped by `read`.
 * For the busiest reads only: drizzle maps each value of each row through its generic
 * selection walker, which on a page of 20 joined rows costs more than the query's round
 * trip (the profile in docs/performance.md); a reader made once per statement does not.
 */
export function prepareArrayRows<T>(
  db: Db,
  name: string,
  query: SQL | { toSQL(): { sql: string; params: unknown[] } },
  read: (row: unknown[]) => T,
): ArrayRowsStatement<T> {
  const { sql, params } = query instanceof SQL ? dialect.sqlToQuery(query) : query.toSQL()
  // `drizzle(pool)` keeps the pool it was given (see `connect`).
  const pool = (db as Db & { $client: pg.Pool }).$client
  return {
    async execute(values) {
      const result = await pool.query<unknown[]>({ name, text: sql, values: fillPlaceholders(params, values), rowMode: 'array', types })
      return result.rows.map(read)
    },
  }
}

type Decoder = (value: unknown) => unknown

/**
 * Reads one table's row out of an array row, its columns in the table's order from
 * `offset` (the order of `select()` without fields), through each column's decoder.
 * A null in the first column (the id of a left join that found nothing) reads as null.
 */
export function tableRowReader<T extends Table>(table: T, offset: number): (row: unknown[]) => T['$inferSelect'] | null {
  const columns = Object.entries(getTableColumns(table)).map(([key, column], i): [string, number, Decoder] => [
    key,
    offset + i,
    (value) => column.mapFromDriverValue(value),
  ])
  return (row) => {
    if (row[offset] === null) return null
    const out: Record<string, unknown> = {}
    for (const [key, index, decode] of columns) {
      const value = row[index]
      out[key] = value === null || value === undefined ? null : decode(value)
    }
    return out as T['$inferSelect']
  }
}
