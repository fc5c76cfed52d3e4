import { AppError } from './errors'

/** Cursors are opaque to clients; inside, the id of the last object of the page. */
export function encodeCursor(id: string): string {
  return Buffer.from(id).toString('base64url')
}

export function decodeCursor(cursor: string, prefix: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8')
  if (!new RegExp(`^${prefix}_[0-9a-z]{1,64}$`).test(id)) throw AppError.invalidField('cursor', 'is not a cursor this API returned')
  return id
}

/** Rows fetched with limit + 1: the extra row only tells whether another page exists. */
export function toPage<Row extends { id: string }, Item>(rows: Row[], limit: number, present: (row: Row) => Item) {
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return { data: page.map(present), nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null }
}

/** A date-time the database can compare with: from 1970 to 9999. */
export function parseSince(field: string, value: string): Date {
  const date = new Date(value)
  const year = date.getUTCFullYear()
  if (Number.isNaN(date.getTime()) || year < 1970 || year > 9999) throw AppError.invalidField(field, 'must be a time between 1970 and 9999')
  return date
}
