import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

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
