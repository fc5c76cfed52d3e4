import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino'
import type pinoPretty from 'pino-pretty'
import { loadOnDemand } from './on-demand'

/** Fields that may carry credentials, wherever they appear in a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  'currentPassword',
  'newPassword',
  'secret',
  'token',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.secret',
  '*.token',
  '*.secretHash',
  '*.secretCiphertext',
  '*.previousSecretHash',
  '*.previousSecretCiphertext',
  '*.passwordHash',
]

interface QueryError extends Error {
  query?: string
  params?: unknown[]
  cause?: unknown
}

/**
 * Errors as logged. A failed database query carries its SQL parameters (hashes,
 * ciphertexts, customer data) in `params` and in its message; only the statement's
 * first words and the database's own error code and message are kept.
 */
export function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) }
  const e = err as QueryError & { code?: string; constraint?: string; table?: string; column?: string; severity?: string; routine?: string }
  if (e.query !== undefined || e.params !== undefined) {
    const cause = e.cause instanceof Error ? serializeError(e.cause) : undefined
    return { type: e.name, message: 'Failed query', statement: e.query?.trim().split(/\s+/).slice(0, 3).join(' '), cause }
  }
  if (typeof e.severity === 'string' && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
    // PostgreSQL's own error: its message, detail and stack can quote the values
    // involved ("Key (store_id, email)=(…)", an input that is not a number); the code,
    // the names and the routine say what failed without them.
    return {
      type: 'PostgreSQLError',
      message: `PostgreSQL error ${e.code}`,
      code: e.code,
      ...(e.constraint && { constraint: e.constraint }),
      ...(e.table && { table: e.table }),
      ...(e.column && { column: e.column }),
      ...(e.routine && { routine: e.routine }),
    }
  }
  return {
    type: e.name,
    message: e.message,
    ...(e.code && { code: e.code }),
    ...(e.constraint && { constraint: e.constraint }),
    ...(e.table && { table: e.table }),
    ...(e.column && { column: e.column }),
    stack: e.stack,
    ...(e.cause !== undefined && { cause: serializeError(e.cause) }),
  }
}

export function loggerOptions(level: string): LoggerOptions {
  return { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, serializers: { err: serializeError } }
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(loggerOptions(level), destination)
}

/** Level numbers from which a line is written before the call that logs it returns. */
const FLUSHED_AT_ONCE = pino.levels.values.warn!

/**
 * The server process's log: JSON lines on stdout, written asynchronously in blocks of
 * `minLength` bytes (and at least every `flushEveryMs`), so that a request's log line
 * costs no system call of its own (docs/performance.md, "Request logging"). Warnings and
 * errors are written synchronously, with every line before them, before the call that
 * logs them returns; pino writes what is left on exit. A `kill -9` can lose the last
 * second of request lines, never a warning or an error.
 */
export function createProcessLogger(
  level: string,
  { minLength = 4096, flushEveryMs = 1000, terminal = process.stdout.isTTY === true } = {},
): Logger {
  if (terminal) return createTerminalLogger(level)
  const destination = pino.destination({ dest: 1, sync: false, minLength })
  if (minLength > 0) setInterval(() => destination.flush(), flushEveryMs).unref()
  return pino(
    {
      ...loggerOptions(level),
      hooks: {
        logMethod(args, method, levelNumber) {
          method.apply(this, args)
          if (levelNumber >= FLUSHED_AT_ONCE) destination.flushSync()
        },
      },
    },
    destination,
  )
}

/**
 * For a person at a terminal (stdout is a TTY): one readable, coloured line per entry
 * (pino-pretty, in this process, written at once), redacted like the JSON lines. Anything
 * that reads the output (a pipe, a file, docker) gets JSON.
 */
export function createTerminalLogger(level: string, destination: NodeJS.WritableStream = process.stdout): Logger {
  const pretty = loadOnDemand('pino-pretty') as typeof pinoPretty
  return pino(
    loggerOptions(level),
    pretty({ colorize: destination === process.stdout, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', destination }),
  )
}

/** Lines of the embedded PostgreSQL's own log that describe the server, not a query. */
const QUERY_LINE = /^\s*(?:\S+ \S+ \S+ \[\d+\] )?(ERROR|DETAIL|STATEMENT|HINT|CONTEXT|QUERY|LOCATION):/

/**
 * The embedded server's output, minus every line about a failed query: PostgreSQL writes
 * an error with its statement and detail (values included) to its log as well.
 */
export function serverLogLines(output: string): string[] {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
  const kept: string[] = []
  let skipping = false
  for (const line of lines) {
    // Continuation lines (indented) belong to the entry above them.
    if (/^\s/.test(line) && !QUERY_LINE.test(line)) {
      if (!skipping) kept.push(line.trim())
      continue
    }
    skipping = QUERY_LINE.test(line)
    if (!skipping) kept.push(line)
  }
  return kept
}
