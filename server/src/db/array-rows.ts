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

type Mapping = (value: unknown) => unknown

/** A column's mapping of drizzle (`mapFromDriverValue`, `mapToDriverValue`) as a function, or null where it passes values through. */
function mappingOf(column: Column, direction: 'mapFromDriverValue' | 'mapToDriverValue'): Mapping | null {
  return column[direction] === Column.prototype[direction] ? null : (value) => column[direction](value)
}

/**
 * A function `(row) => ({ name: value, … })` generated once: one object literal, so every
 * object it makes has its final shape from the start. Each value is read by `source` (an
 * expression over `row`, from the schema, never from input) and goes through its mapping,
 * null for null or missing.
 */
function objectMaker(fields: { name: string; source: string; mapping: Mapping | null }[]): (row: never) => Record<string, unknown> {
  const mappings = fields.map((field) => field.mapping)
  const body = fields.map(({ name, source, mapping }, i) =>
    mapping
      ? `${JSON.stringify(name)}: ${source} == null ? null : mappings[${i}](${source})`
      : `${JSON.stringify(name)}: ${source} ?? null`,
  )
  return new Function('mappings', `return (row) => ({ ${body.join(', ')} })`)(mappings) as (row: never) => Record<string, unknown>
}

/**
 * Reads one table's row out of an array row, its columns in the table's order from
 * `offset` (the order of `select()` without fields), through each column's decoder (none
 * for a column drizzle passes through as the driver gives it).
 *
 * Built key by key (`out[key] = …`), each row went through a chain of shapes shared by
 * every table: those stores, and every later read of the row's fields, were megamorphic,
 * the largest item in the server's profile of a page against the baseline's
 * (docs/performance.md, "Rows made in one shape"). Hence `objectMaker`.
 */
export function tableRowReader<T extends Table>(table: T, offset: number): (row: unknown[]) => T['$inferSelect'] {
  const fields = Object.entries(getTableColumns(table)).map(([key, column], i) => ({
    name: key,
    source: `row[${offset + i}]`,
    mapping: mappingOf(column, 'mapFromDriverValue'),
  }))
  return objectMaker(fields) as (row: unknown[]) => T['$inferSelect']
}

/**
 * The values of `keys` of an object under placeholder names `<prefix><key>`, as they are
 * (null for a missing one), by `objectMaker`: for values built on every write.
 */
export function namedValues<K extends string>(prefix: string, keys: readonly K[]): (values: Record<K, unknown>) => Record<string, unknown> {
  const fields = keys.map((key) => ({ name: prefix + key, source: `row[${JSON.stringify(key)}]`, mapping: null }))
  return objectMaker(fields) as (values: Record<K, unknown>) => Record<string, unknown>
}

/**
 * The values of one table's row for a prepared insert whose placeholders are named
 * `<prefix><key>`, through each column's encoder (none where drizzle's column has none),
 * null for a missing value. Made by `objectMaker`, for the reason `tableRowReader` is; built
 * key by key, each name was also a string made again and interned on every write.
 */
export function tableRowValues<T extends Table>(table: T, prefix: string): (row: T['$inferInsert']) => Record<string, unknown> {
  const fields = Object.entries(getTableColumns(table)).map(([key, column]) => ({
    name: prefix + key,
    source: `row[${JSON.stringify(key)}]`,
    mapping: mappingOf(column, 'mapToDriverValue'),
  }))
  return objectMaker(fields) as (row: T['$inferInsert']) => Record<string, unknown>
}
