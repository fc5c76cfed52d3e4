import { Type } from 'typebox'
import { ErrorResponse } from '@deskflow/shared'

/** The error responses every admin route can give, for schemas and the OpenAPI document. */
export const adminErrors = {
  401: ErrorResponse,
  404: ErrorResponse,
  422: ErrorResponse,
} as const

export const NoContent = Type.Null({ description: 'No content' })

export const adminSecurity: Record<string, string[]>[] = [{ cookieAuth: [] }, { bearerAuth: [] }]
