const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006'])

/**
 * A lost or refused database connection (a restart, a failover), wherever it sits in the
 * error's causes. Over a Unix socket (the embedded database) a stopped server shows as
 * `connect ENOENT <socket>`.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { code?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code && CONNECTION_CODES.has(e.code)) return true
    if (typeof e.message === 'string' && /Connection terminated|connect (ECONNREFUSED|ENOENT)|terminating connection|not queryable|Client was closed/i.test(e.message)) return true
  }
  return false
}

/** The PostgreSQL error code (`23503`, …) of an error or of the error it wraps (Drizzle wraps pg's). */
export function pgErrorCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code
  }
  return undefined
}

export const isForeignKeyViolation = (error: unknown) => pgErrorCode(error) === '23503'

/** `FOR UPDATE NOWAIT` found the row locked by another transaction. */
export const LOCK_NOT_AVAILABLE = '55P03'
