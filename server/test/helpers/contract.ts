import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { generateSync, type JsonSchema } from 'json-schema-faker'

/**
 * The parts of an OpenAPI 3.1 document the contract fuzzer reads, and value
 * generators derived from JSON Schema: valid values (json-schema-faker, seeded),
 * boundaries (each bound and one past it), wrong types and hostile strings.
 */
export interface Schema {
  type?: string | string[]
  anyOf?: Schema[]
  enum?: unknown[]
  const?: unknown
  properties?: Record<string, Schema>
  required?: string[]
  additionalProperties?: boolean | Schema
  minProperties?: number
  items?: Schema
  minItems?: number
  maxItems?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  format?: string
  minimum?: number
  maximum?: number
  description?: string
}

export interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required?: boolean
  description?: string
  schema: Schema
}

interface Media {
  schema?: Schema
  example?: unknown
}

export interface OperationDoc {
  operationId?: string
  parameters?: Parameter[]
  requestBody?: { required?: boolean; content: Record<string, Media> }
  responses: Record<string, { content?: Record<string, Media>; headers?: Record<string, unknown> }>
  security?: Array<Record<string, string[]>>
}

export interface OpenApiDoc {
  openapi: string
  paths: Record<string, Record<string, OperationDoc>>
}

export interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  path: string
  name: string
  doc: OperationDoc
  params: Parameter[]
  query: Parameter[]
  body?: Schema
  example?: unknown
  auth: 'admin' | 'integrator' | 'none'
}

const METHODS = new Set(['get', 'post', 'patch', 'put', 'delete'])

/**
 * The document with every `$ref` to `#/components/<section>/<name>` (schemas, headers)
 * replaced by what it names (the document has no cycles), as the value generators read schemas.
 */
export function dereference<T>(doc: T): T {
  const components = (doc as { components?: Record<string, Record<string, unknown>> }).components ?? {}
  const resolve = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(resolve)
    if (node === null || typeof node !== 'object') return node
    const ref = (node as { $ref?: unknown }).$ref
    if (typeof ref === 'string') {
      const [, section, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(ref) ?? []
      if (!section || !name || !(name in (components[section] ?? {}))) throw new Error(`unresolved $ref ${ref}`)
      return resolve(components[section]![name])
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v)]))
  }
  return resolve(doc) as T
}

/** Every operation of the document, as the fuzzer calls them. */
export function operationsOf(document: OpenApiDoc): Operation[] {
  const doc = dereference(document)
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]) => {
        const schemes = new Set((op.security ?? []).flatMap((s) => Object.keys(s)))
        const json = op.requestBody?.content['application/json']
        return {
          method: method.toUpperCase() as Operation['method'],
          path,
          name: `${method.toUpperCase()} ${path}`,
          doc: op,
          params: (op.parameters ?? []).filter((p) => p.in === 'path'),
          query: (op.parameters ?? []).filter((p) => p.in === 'query'),
          body: json?.schema,
          example: json?.example,
          auth: schemes.has('basicAuth') ? 'integrator' : schemes.has('cookieAuth') ? 'admin' : 'none',
        }
      }),
  )
}

/**
 * A valid value of the schema; the same seed gives the same value. With `examples`,
 * values come from the schema's examples where it has some (text whose meaning the
 * schema cannot express, such as an IP range, is then meaningful too).
 */
export function validValue(schema: Schema, seed: number, examples = false): unknown {
  // json-schema-faker gives up on some draws of an object whose properties are all
  // optional yet at least one is required (minProperties); the next seed does not.
  for (let attempt = 0; ; attempt++) {
    try {
      // Lists of a few items: long ones are the boundaries' job.
      const options = {
        seed: seed + attempt,
        optionalsProbability: 0.6,
        maxItems: 4,
        alwaysFakeOptionals: attempt >= 5,
        useExamplesValue: examples,
      }
      return generateSync(schema as JsonSchema, options)
    } catch (err) {
      if (attempt >= 5) throw err
    }
  }
}

/** The branch of a nullable `anyOf` that is not `null` (or the schema itself). */
export function concrete(schema: Schema): Schema {
  return schema.anyOf?.find((s) => s.type !== 'null') ?? schema
}

const typeOf = (schema: Schema): string | undefined => {
  const s = concrete(schema)
  if (s.enum) return typeof s.enum[0]
  return Array.isArray(s.type) ? s.type[0] : s.type
}

/** Every property (at any depth, array items as index 0) a mutation can target. */
export function leafPaths(schema: Schema, prefix: string[] = []): Array<{ path: string[]; schema: Schema }> {
  const s = concrete(schema)
  const here = prefix.length > 0 ? [{ path: prefix, schema }] : []
  if (s.properties) return [...here, ...Object.entries(s.properties).flatMap(([k, v]) => leafPaths(v, [...prefix, k]))]
  if (s.items) return [...here, ...leafPaths(s.items, [...prefix, '0'])]
  return here
}

/** A copy of `value` with `path` set (intermediate objects and arrays created as needed). */
export function setAt(value: unknown, path: string[], leaf: unknown): unknown {
  if (path.length === 0) return leaf
  const [head, ...rest] = path as [string, ...string[]]
  const index = /^\d+$/.test(head) ? Number(head) : undefined
  if (index !== undefined) {
    const list = Array.isArray(value) ? [...(value as unknown[])] : []
    list[index] = setAt(list[index], rest, leaf)
    return list
  }
  const object = value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {}
  object[head] = setAt(object[head], rest, leaf)
  return object
}

export function removeAt(value: unknown, path: string[]): unknown {
  if (!value || typeof value !== 'object' || path.length === 0) return value
  const [head, ...rest] = path as [string, ...string[]]
  const copy = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) }
  if (rest.length === 0) {
    if (Array.isArray(copy)) copy.splice(Number(head), 1)
    else delete (copy as Record<string, unknown>)[head]
    return copy
  }
  ;(copy as Record<string, unknown>)[head] = removeAt((copy as Record<string, unknown>)[head], rest)
  return copy
}

/** Text of exactly `length` characters made of a valid sample's own characters (so a pattern still likely holds). */
function ofLength(sample: unknown, length: number): string {
  const base = typeof sample === 'string' && sample.length > 0 ? sample : 'a'
  return base.repeat(Math.ceil(length / base.length) + 1).slice(0, Math.max(0, length))
}

/** Each bound of the schema, and one step past it on either side. */
export function boundaries(schema: Schema, seed: number): unknown[] {
  const s = concrete(schema)
  const sample = validValue(s, seed)
  const out: unknown[] = []
  switch (typeOf(s)) {
    case 'string': {
      const min = s.minLength ?? 0
      out.push('', ' ', ofLength(sample, min), ofLength(sample, min + 1))
      if (min > 0) out.push(ofLength(sample, min - 1))
      if (s.maxLength !== undefined) out.push(ofLength(sample, s.maxLength), ofLength(sample, s.maxLength + 1))
      if (s.enum) out.push(`${String(s.enum[0])}x`, String(s.enum[0]).toUpperCase())
      if (s.format === 'date-time')
        out.push('0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '1969-12-31T23:59:59Z', '2026-02-30T00:00:00Z', '+275760-09-13T00:00:00Z')
      if (s.format === 'email') out.push('a@b', `${ofLength('a', 250)}@example.com`, 'no-at-sign.example.com')
      break
    }
    case 'integer':
    case 'number': {
      const min = s.minimum ?? Number.MIN_SAFE_INTEGER
      const max = s.maximum ?? Number.MAX_SAFE_INTEGER
      out.push(min, min - 1, max, max + 1, 0, -1, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e21)
      break
    }
    case 'array': {
      const item = validValue(s.items ?? {}, seed)
      const many = (n: number) => Array.from({ length: Math.max(0, n) }, () => structuredClone(item))
      out.push([], many(1))
      if (s.minItems !== undefined) out.push(many(s.minItems), many(s.minItems - 1))
      if (s.maxItems !== undefined) out.push(many(s.maxItems), many(s.maxItems + 1))
      break
    }
    case 'object':
      out.push({})
      break
    default:
      out.push(null)
  }
  if (schema.anyOf?.some((b) => b.type === 'null')) out.push(null)
  return out
}

/** Values of every JSON type but the schema's own. */
export function wrongTypes(schema: Schema): unknown[] {
  const all: Record<string, unknown[]> = {
    string: ['42', ''],
    integer: [42, -7],
    number: [4.2],
    boolean: [true, false],
    null: [null],
    array: [[], ['x']],
    object: [{}, { a: 1 }],
  }
  const own = typeOf(schema)
  const allowed = new Set([own, ...(schema.anyOf ?? []).map((b) => typeOf(b))])
  if (allowed.has('integer')) allowed.add('number')
  return Object.entries(all)
    .filter(([type]) => !allowed.has(type) && !(type === 'number' && allowed.has('integer')))
    .flatMap(([, values]) => values)
}

/** Text that databases, parsers and logs trip over. */
export const HOSTILE_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\uffff',
  '\u202e',
  '\r\n',
  '%00',
  '../../etc/passwd',
  "'; drop table api_keys; --",
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${jndi:ldap://x}',
  '🦄'.repeat(300),
  'x'.repeat(5000),
  '1e309',
  'null',
  '[]',
  '__proto__',
  'constructor',
]

/** Bodies no JSON parser should take, JSON the server must refuse to merge, and one too large. */
export const RAW_BODIES = [
  '{',
  '{"a":}',
  '[1,2',
  '"',
  'nul',
  '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '\u0000',
  '',
  // Over the 256 KB body limit.
  JSON.stringify({ padding: 'x'.repeat(300 * 1024) }),
]

export const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=latin1',
]

/**
 * What a webhook receiver got, judged against the document's `webhooks`: each body must
 * be valid JSON matching the payload schema of its `type` (JSON Schema 2020-12). The
 * problems found, one line each; none when every body is what the document promises.
 */
export function webhookBodyProblems(document: unknown, bodies: string[]): string[] {
  const doc = dereference(document as { webhooks: Record<string, { post: OperationDoc }> })
  const ajv = new Ajv2020({ strict: true, allErrors: true })
  addFormats.default(ajv)
  const validators = new Map(
    Object.entries(doc.webhooks).map(([type, item]) => [type, ajv.compile(item.post.requestBody!.content['application/json']!.schema!)]),
  )
  const problems: string[] = []
  for (const body of bodies) {
    let payload: unknown
    try {
      payload = JSON.parse(body)
    } catch {
      problems.push(`not JSON: ${body.slice(0, 80)}`)
      continue
    }
    const type = String((payload as { type?: unknown }).type)
    const validate = validators.get(type)
    if (!validate) problems.push(`no webhook in the document for type ${type}`)
    else if (!validate(payload)) problems.push(`${type}: ${ajv.errorsText(validate.errors)} in ${body.slice(0, 200)}`)
  }
  return problems
}
