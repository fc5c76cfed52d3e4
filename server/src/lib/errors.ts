import { ERROR_STATUS, type ErrorCode, type ErrorDetail } from '@deskflow/shared'

/** The one error type services throw; the error handler maps its code to a status. */
export class AppError extends Error {
  override name = 'AppError'
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    /** Extra response headers, such as WWW-Authenticate on a 401. */
    readonly headers?: Record<string, string>,
  ) {
    // An expected outcome answered as 4xx, not a bug: capturing a stack trace would be
    // the costliest part of a refused request, and nothing reads it.
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    super(message)
    Error.stackTraceLimit = limit
  }

  get statusCode(): number {
    return ERROR_STATUS[this.code]
  }

  static notFound(what: string) {
    return new AppError('not_found', `${what} not found`)
  }

  static invalidField(field: string, message: string) {
    return new AppError('validation_failed', `${field}: ${message}`, [{ field, message }])
  }
}
