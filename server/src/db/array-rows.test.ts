import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { getTableColumns, type Table } from 'drizzle-orm'
import { namedValues, tableRowReader, tableRowValues } from './array-rows'
import { apiKeys, customers, events, orders, products } from './schema'

/** What the reader must give: each column's own decoder, null for null or missing. */
function readByColumns(table: Table, offset: number, row: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  Object.entries(getTableColumns(table)).forEach(([key, column], i) => {
    const value = row[offset + i]
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value)
  })
  return out
}

// A value as the driver may hand it for a column: PostgreSQL's text of a timestamp (read as
// text, see AS_TEXT), a bigint as text, numbers, booleans, arrays, JSON, or nothing.
const driverValue = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant('2026-12-02 14:53:07.123456+00'),
  fc.bigInt({ min: 0n, max: 10n ** 15n }).map(String),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.integer(), { maxKeys: 3 }),
)

describe('tableRowReader', () => {
  it.each([
    ['products', products],
    ['customers', customers],
    ['orders', orders],
    ['events', events],
    ['api_keys', apiKeys],
  ] as const)('reads a %s row as its columns decode it, at any offset', (_name, table) => {
    const width = Object.keys(getTableColumns(table)).length
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.array(driverValue, { minLength: width + 9, maxLength: width + 9 }), (offset, row) => {
        let expected: unknown
        try {
          expected = readByColumns(table, offset, row)
        } catch (err) {
          // A value no column of that type can hold: the reader refuses it the same way.
          expect(() => tableRowReader(table, offset)(row)).toThrow((err as Error).message)
          return
        }
        expect(tableRowReader(table, offset)(row)).toStrictEqual(expected)
      }),
      { numRuns: 300 },
    )
  })

  it('gives every row the keys of the table, in its order, whatever the values', () => {
    const read = tableRowReader(products, 1)
    const keys = Object.keys(getTableColumns(products))
    const a = read([
      0,
      'prd_1',
      'st_1',
      null,
      'Mug',
      null,
      null,
      '1200',
      'EUR',
      null,
      true,
      '2026-12-02 14:53:07+00',
      '2026-12-02 14:53:07+00',
    ])
    const b = read([0])
    expect(Object.keys(a)).toEqual(keys)
    expect(Object.keys(b)).toEqual(keys)
    expect(a).toMatchObject({ id: 'prd_1', price: 1200, stock: null, active: true, createdAt: '2026-12-02T14:53:07.000Z' })
    expect(Object.values(b).every((v) => v === null)).toBe(true)
  })
})

/** What the values must be: `<prefix><key>` for every column, its own encoder, null for null or missing. */
function valuesByColumns(table: Table, prefix: string, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = row[key]
    out[`${prefix}${key}`] = value === null || value === undefined ? null : column.mapToDriverValue(value)
  }
  return out
}

describe('tableRowValues', () => {
  it.each([
    ['products', products],
    ['customers', customers],
    ['orders', orders],
    ['events', events],
  ] as const)('gives the values of a %s row as its columns encode them, under their placeholder names', (_name, table) => {
    const keys = Object.keys(getTableColumns(table))
    const values = tableRowValues(table, 'row.')
    fc.assert(
      fc.property(fc.array(driverValue, { minLength: keys.length, maxLength: keys.length }), fc.subarray(keys), (vals, missing) => {
        const row = Object.fromEntries(keys.filter((k) => !missing.includes(k)).map((k, i) => [k, vals[i]]))
        let expected: unknown
        try {
          expected = valuesByColumns(table, 'row.', row)
        } catch (err) {
          expect(() => values(row as never)).toThrow((err as Error).message)
          return
        }
        expect(values(row as never)).toStrictEqual(expected)
      }),
      { numRuns: 300 },
    )
  })
})

describe('namedValues', () => {
  it('gives the value of each key under its placeholder name, as it is, null for a missing one', () => {
    const values = namedValues('event.', ['id', 'data', 'idTime'] as const)
    expect(values({ id: 'evt_1', data: '{"a":1}', idTime: 5 })).toStrictEqual({
      'event.id': 'evt_1',
      'event.data': '{"a":1}',
      'event.idTime': 5,
    })
    expect(values({ id: 'evt_2' } as never)).toStrictEqual({ 'event.id': 'evt_2', 'event.data': null, 'event.idTime': null })
  })
})
