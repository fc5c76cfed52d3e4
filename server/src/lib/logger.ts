import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino'

/** Fields that may carry credentials, wherever they appear in a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  'secret',
  'token',
  '*.password',
  '*.secret',
  '*.token',
  '*.secretHash',
  '*.secretCiphertext',
  '*.previousSecretHash',
  '*.passwordHash',
]

export function loggerOptions(level: string): LoggerOptions {
  return { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(loggerOptions(level), destination)
}
