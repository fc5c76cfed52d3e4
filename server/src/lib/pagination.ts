import { AppError } from './errors'

/** Rows fetched with limit + 1: the extra row only tells whether another page exists. */
export function toPage<Row extends { id: string }, Item>(
  rows: Row[],
  limit: number,
  present: (row: Row) => Item,
  cursorAfter: (id: string) => string,
) {
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return { data: page.map(present), nextCursor: rows.length > limit && last ? cursorAfter(last.id) : null }
}

/** A date-time the database can compare with: from 1970 to 9999. */
export function parseSince(field: string, value: string): Date {
  const date = new Date(value)
  const year = date.getUTCFullYear()
  if (Number.isNaN(date.getTime()) || year < 1970 || year > 9999) throw AppError.invalidField(field, 'must be a time between 1970 and 9999')
  return date
}

/** `parseSince`, or null where it refuses: for a read that judges its key before naming the field. */
export function sinceOrNull(value: string): Date | null {
  try {
    return parseSince('since', value)
  } catch {
    return null
  }
}
