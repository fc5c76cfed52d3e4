import { Type, type Static } from 'typebox'

/** The closed set of error codes, each with its one HTTP status. */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  invalid_password: 403,
  forbidden: 403,
  // Signed in with a one-time password: only reading who they are, choosing a password and signing out are open.
  password_change_required: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  internal: 500,
  service_unavailable: 503,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

export const ErrorDetail = Type.Object(
  {
    field: Type.String({ description: 'The offending field, as a dotted path (e.g. `permissions.2`).' }),
    message: Type.String(),
  },
  { title: 'ErrorDetail' },
)
export type ErrorDetail = Static<typeof ErrorDetail>

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.Enum(Object.keys(ERROR_STATUS) as ErrorCode[]),
      message: Type.String(),
      requestId: Type.String(),
      details: Type.Optional(Type.Array(ErrorDetail)),
    }),
  },
  { title: 'ErrorResponse', description: 'Every error, everywhere, has this shape.' },
)
export type ErrorResponse = Static<typeof ErrorResponse>
