import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify'
import { AppError } from '../lib/errors'

function createAjv(options: Options) {
  const ajv = new Ajv({
    // Unknown fields are an error the caller should see, not something to drop silently.
    removeAdditional: false,
    useDefaults: true,
    allErrors: true,
    strict: false,
    ...options,
  })
  addFormats.default(ajv)
  return ajv
}

/**
 * Bodies are JSON and must already have the right types (`"42"` is not a number,
 * `"x"` is not a list). Query strings and path parameters are text by nature, so
 * they are coerced.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = createAjv({ coerceTypes: false })
  const coercing = createAjv({ coerceTypes: 'array' })
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object)
}

/**
 * The first path (`lineItems.0.productId`) of a request part whose string holds a NUL
 * character, which PostgreSQL cannot store. Given the part's schema, only what it
 * declares: nothing without one, only its top-level properties when it names them.
 */
export function findNul(part: unknown, schema: unknown): string | null {
  if (!schema) return null
  const declared = (schema as { properties?: Record<string, unknown> }).properties
  if (!declared || !part || typeof part !== 'object' || Array.isArray(part)) return nulAt(part)
  return nulAt(Object.fromEntries(Object.entries(part).filter(([key]) => Object.hasOwn(declared, key))))
}

function nulAt(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || '(body)' : null
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nulAt(item, [...path, String(i)])
      if (found) return found
    }
    return null
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulAt(key, [...path, key]) ?? nulAt(item, [...path, key])
      if (found) return found
    }
  }
  return null
}

/**
 * The input error of a request that passed validation: a NUL character in what its route
 * reads (body or query), as a 422 naming the field; null when there is none.
 */
export function nulError(request: FastifyRequest): AppError | null {
  const field = findNul(request.body, request.routeOptions.schema?.body) ?? findNul(request.query, request.routeOptions.schema?.querystring)
  return field ? AppError.invalidField(field, 'must not contain the NUL character (\\u0000)') : null
}
