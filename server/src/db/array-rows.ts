import pg from 'pg'
import { Column, getTableColumns, is, Param, Placeholder, type SQL, type Table } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import type { Db } from '.'

// Date and time types arrive as PostgreSQL writes them, as drizzle's own statements
// read them; the columns' decoders (`isoFromPg`, `mode: 'date'`) take it from there.
const AS_TEXT = new Set([1082, 1114, 1115, 1182, 1184, 1185, 1186, 1187, 1231])
const asText = (value: string) => value
const types = {
  getTypeParser: (typeId: number, format?: string) => (AS_TEXT.has(typeId) ? asText : pg.types.getTypeParser(typeId, format as 'text')),
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
  const fill = placeholderFiller(params)
  // `drizzle(pool)` keeps the pool it was given (see `connect`).
  const pool = (db as Db & { $client: pg.Pool }).$client
  return {
    async execute(values) {
      const result = await pool.query<unknown[]>({ name, text: sql, values: fill(values), rowMode: 'array', types })
      return result.rows
    },
  }
}

/**
 * drizzle's `fillPlaceholders`, with what each parameter is (a placeholder, an encoded
 * placeholder, a constant) decided once per statement instead of on every execution.
 */
function placeholderFiller(params: unknown[]): (values: Record<string, unknown>) => unknown[] {
  type Slot = { name: string; encoder: Param['encoder'] | null } | { constant: unknown }
  const slots = params.map((p): Slot => {
    if (is(p, Placeholder)) return { name: p.name, encoder: null }
    if (is(p, Param) && is(p.value, Placeholder)) return { name: p.value.name, encoder: p.encoder }
    return { constant: p }
  })
  return (values) =>
    slots.map((slot) => {
      if ('constant' in slot) return slot.constant
      if (!(slot.name in values)) throw new Error(`No value for placeholder "${slot.name}" was provided`)
      const value = values[slot.name]
      return slot.encoder ? slot.encoder.mapToDriverValue(value) : value
    })
}

type Decoder = (value: unknown) => unknown

/**
 * Reads one table's row out of an array row, its columns in the table's order from
 * `offset` (the order of `select()` without fields), through each column's decoder (none
 * for a column drizzle passes through as the driver gives it).
 *
 * The reader is generated once per table as one object literal with the table's keys
 * (they come from the schema, never from input), so every row has its final shape from
 * the start. Built key by key (`out[key] = …`), each row went through a chain of shapes
 * shared by every table: those stores, and every later read of the row's fields, were
 * megamorphic, the largest item in the server's profile of a page against the baseline's
 * (docs/performance.md, "Rows made in one shape").
 */
export function tableRowReader<T extends Table>(table: T, offset: number): (row: unknown[]) => T['$inferSelect'] {
  const entries = Object.entries(getTableColumns(table))
  const decoders: (Decoder | null)[] = entries.map(([, column]) =>
    column.mapFromDriverValue === Column.prototype.mapFromDriverValue ? null : (value) => column.mapFromDriverValue(value),
  )
  const fields = entries.map(([key], i) => {
    const at = `row[${offset + i}]`
    return `${JSON.stringify(key)}: ${decoders[i] ? `${at} == null ? null : decoders[${i}](${at})` : `${at} ?? null`}`
  })
  return new Function('decoders', `return (row) => ({ ${fields.join(', ')} })`)(decoders) as (row: unknown[]) => T['$inferSelect']
}

/**
 * The values of one table's row for a prepared insert whose placeholders are named
 * `<prefix><key>`, through each column's encoder (none where drizzle's column has none),
 * null for a missing value. Generated once per table as one object literal, for the reason
 * `tableRowReader` is: a row's values built key by key went through a new chain of shapes,
 * and each of their names was a string made again and interned on every write.
 */
export function tableRowValues<T extends Table>(table: T, prefix: string): (row: T['$inferInsert']) => Record<string, unknown> {
  const entries = Object.entries(getTableColumns(table))
  const encoders: (Decoder | null)[] = entries.map(([, column]) =>
    column.mapToDriverValue === Column.prototype.mapToDriverValue ? null : (value) => column.mapToDriverValue(value),
  )
  const fields = entries.map(([key], i) => {
    const at = `row[${JSON.stringify(key)}]`
    return `${JSON.stringify(prefix + key)}: ${encoders[i] ? `${at} == null ? null : encoders[${i}](${at})` : `${at} ?? null`}`
  })
  return new Function('encoders', `return (row) => ({ ${fields.join(', ')} })`)(encoders) as (
    row: T['$inferInsert'],
  ) => Record<string, unknown>
}
