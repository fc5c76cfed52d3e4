import { CONSTRAINT_FIELDS } from '../db/constraints'
import { AppError } from './errors'

/** What PostgreSQL says about a failed statement (node-postgres' DatabaseError fields). */
export interface PgError {
  code: string
  constraint?: string
  column?: string
  table?: string
}

interface Chained {
  code?: unknown
  message?: unknown
  cause?: unknown
}

/** The error and the errors it wraps (the ORM wraps the driver's), outermost first. */
function* chain(error: unknown): Generator<Chained> {
  let e = error as Chained | undefined
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++, e = e.cause as Chained | undefined) yield e
}

/**
 * A five-character SQLSTATE (`23505`, `XX000`; class `DF` is this product's own, raised by
 * its functions), not a system error code such as `EPIPE`.
 */
const SQLSTATE = /^([0-9][0-9A-Z]|HV|P0|XX|F0|DF)[0-9A-Z]{3}$/

/** The database's own error inside whatever wraps it, if the database raised one. */
export function pgErrorOf(error: unknown): PgError | undefined {
  for (const e of chain(error)) if (typeof e.code === 'string' && SQLSTATE.test(e.code)) return e as PgError
  return undefined
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  // A statement written to a connection the restarting server has just closed.
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
])
const CONNECTION_MESSAGE = /Connection terminated|connect (ECONNREFUSED|ENOENT)|terminating connection|not queryable|Client was closed/i

/**
 * A lost or refused database connection (a restart, a failover): 503, not 500. Over a Unix
 * socket (the embedded database) a stopped server shows as `connect ENOENT <socket>`.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of chain(error)) {
    if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true
    if (typeof e.message === 'string' && CONNECTION_MESSAGE.test(e.message)) return true
  }
  return false
}

export const isForeignKeyViolation = (error: unknown) => pgErrorOf(error)?.code === '23503'

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

/** Class 23 (integrity) by code; anything else in it is a conflict with existing data. */
const INTEGRITY: Record<string, { code: 'conflict' | 'validation_failed'; message: string }> = {
  '23505': { code: 'conflict', message: 'is already used by another object in this store' },
  '23P01': { code: 'conflict', message: 'overlaps another object in this store' },
  '23503': { code: 'validation_failed', message: 'refers to something that does not exist (or was deleted while this request ran)' },
  '23502': { code: 'validation_failed', message: 'is required' },
  '23514': { code: 'validation_failed', message: 'is outside the allowed values' },
}

/** Class 22 (data exceptions): a value the database cannot take, whatever the column. */
const DATA: Record<string, string> = {
  '22001': 'is too long',
  '22003': 'is out of range',
  '22007': 'is not a date and time the database can store',
  '22008': 'is not a date and time the database can store',
  '22P02': 'is not in the expected format',
}

/**
 * A statement the database refused because of the data (a constraint, a value out
 * of range or in the wrong format) becomes a 409 or 422 naming the field, wherever
 * it happens: these are the caller's input or a race with another request, never a
 * server fault. Connection losses and every other error are left alone.
 */
export function refusalOf(error: unknown): AppError | undefined {
  const pg = pgErrorOf(error)
  if (!pg || !(pg.code.startsWith('22') || pg.code.startsWith('23'))) return undefined
  const field = (pg.constraint && CONSTRAINT_FIELDS[pg.constraint]) || (pg.column && camel(pg.column)) || '(input)'
  const integrity = pg.code.startsWith('23')
    ? (INTEGRITY[pg.code] ?? { code: 'conflict' as const, message: 'conflicts with other data in this store' })
    : undefined
  const code = integrity?.code ?? 'validation_failed'
  const message = integrity?.message ?? DATA[pg.code] ?? 'is not a value the database can store'
  return new AppError(code, `${field}: ${message}`, [{ field, message }])
}
