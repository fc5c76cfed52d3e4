import fp from 'fastify-plugin'
import fastifySwagger from '@fastify/swagger'
import { ErrorResponse } from '@deskflow/shared'
import { SESSION_COOKIE } from '../http/auth'
import { apiReference } from './api-reference'
import { WEBHOOKS_TAG, openapiWebhooks } from '../features/integrator/webhooks-doc'

const DESCRIPTION = [
  '**Integrator API** (`/v1/…`): authenticate with HTTP Basic, the API key as the user name and the API secret as the password ' +
    '(`curl -u dfk_…:dfs_… https://<your server>/v1/products`). Each operation lists the permission it requires. ' +
    'Lists are paginated: pass `nextCursor` back as `cursor`. Every key has a rate limit (default 600 requests a minute); ' +
    'answers carry `RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers-09) and, for clients of its draft 6, `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`; a 429 carries `Retry-After`. ' +
    'A `POST` or `PATCH` with an `Idempotency-Key` can be retried safely.',
  '**Admin API**: session cookie or Bearer JWT from `POST /auth/login`. With the cookie, a request that changes something ' +
    '(any method but GET, HEAD, OPTIONS) must also send the header `Deskflow-CSRF: 1`, unless the browser marks it ' +
    '`Sec-Fetch-Site: same-origin`. One a browser marks `Sec-Fetch-Site: same-site` or `cross-site` (sent by a page of another origin) is ' +
    'refused whatever it carries, sign-in included (403 `forbidden`). ' +
    'An admin signed in with a one-time password (`passwordChangeRequired` in the sign-in answer) may only read `GET /auth/me`, ' +
    'choose their password (`POST /auth/password`) and sign out; every other admin route answers 403 `password_change_required`.',
  '**Errors** always have the shape `{ "error": { "code", "message", "requestId", "details"? } }`; `details` names each offending field. ' +
    '400: malformed JSON; 401: no valid credentials (one message for every reason); 403: valid but not allowed; 404: not found or not yours; ' +
    '409: conflict (duplicate, out of stock); 413: body over 256 KB; 415: body not JSON; 422: invalid input; 429: rate limited; ' +
    '503: the database is unavailable for a moment (retry after `Retry-After`). Each operation lists the statuses it can answer.',
  '**Webhooks**: the events an integration can subscribe to, and their payloads, are listed under Webhooks.',
].join('\n\n')

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/**
 * The document's named schemas: every schema with a `title` (the shared package titles
 * each resource, input, list, error and event payload) becomes `components.schemas[title]`,
 * and each place it appears a `$ref` to it, so that generated clients get an `Order`, an
 * `ErrorResponse`, a `CustomerCreatedEvent`. Two different schemas under one title are a
 * programming error, refused when the document is built.
 */
export function nameSchemas<D extends object>(document: D): D {
  const {
    paths: documentPaths,
    webhooks: documentWebhooks,
    components,
  } = document as { paths?: Json; webhooks?: Json; components?: object }
  const named: Record<string, Json> = {}
  const canonical = new Map<string, string>()
  const walk = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(walk)
    if (node === null || typeof node !== 'object') return node
    const out: Record<string, Json> = {}
    // `const` as the routes' schemas have it after @fastify/swagger (`enum` of one), so that
    // a schema reads the same in `webhooks` as in `paths`.
    for (const [key, value] of Object.entries(node)) {
      if (key === 'const' && !('enum' in node)) out.enum = [walk(value)]
      else out[key] = walk(value)
    }
    const title = out.title
    if (typeof title !== 'string') return out
    const text = stableJson(out)
    const seen = canonical.get(title)
    if (seen !== undefined && seen !== text)
      throw new Error(`Two different schemas are titled ${title} in the OpenAPI document: ${seen} and ${text}`)
    canonical.set(title, text)
    named[title] = out
    return { $ref: `#/components/schemas/${title}` }
  }
  const paths = walk(documentPaths ?? {})
  const webhooks = walk(documentWebhooks ?? {})
  const schemas = Object.fromEntries(
    Object.keys(named)
      .sort()
      .map((name) => [name, named[name]!]),
  )
  return { ...document, paths, webhooks, components: { ...components, schemas } }
}

type Operation = {
  security?: Record<string, string[]>[]
  parameters?: { in: string; name: string; schema?: { pattern?: string } }[]
  requestBody?: { content?: Record<string, { example?: unknown }> }
  'x-codeSamples'?: { lang: string; label: string; source: string }[]
}

/**
 * A copy-paste `curl` for every integrator operation (Redoc shows `x-codeSamples` beside
 * the operation): the key and secret from `DF_KEY` and `DF_SECRET`, the server from
 * `DESKFLOW_URL`, an id of the right kind in the path, the body from the operation's example.
 */
export function addCodeSamples<D extends object>(document: D): D {
  const paths = (document as { paths?: Record<string, Record<string, Operation>> }).paths ?? {}
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op.security?.some((s) => 'basicAuth' in s)) continue
      const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
        const pattern = op.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema?.pattern ?? ''
        return `${/^\^([a-z]+)_/.exec(pattern)?.[1] ?? name}_0mh4x7c2a9k3p8q1w5e6r7t`
      })
      const list = method === 'get' && !path.includes('{')
      const example = op.requestBody?.content?.['application/json']?.example
      const lines = [`curl -u "$DF_KEY:$DF_SECRET"${method === 'get' ? '' : ` -X ${method.toUpperCase()}`}`]
      if (example !== undefined) lines.push(`-H 'content-type: application/json' -d '${JSON.stringify(example).replaceAll("'", "'\\''")}'`)
      lines.push(`"$DESKFLOW_URL${url}${list ? '?limit=20' : ''}"`)
      op['x-codeSamples'] = [{ lang: 'Shell', label: 'curl', source: lines.join(' \\\n  ') }]
    }
  }
  return document
}

/**
 * Response headers declared once, in `components.headers`, and referred to by name from
 * every response that carries them (@fastify/swagger writes each out in full).
 */
export function nameHeaders<D extends object>(document: D): D {
  const named: Record<string, unknown> = {}
  const paths = (
    document as { paths?: Record<string, Record<string, { responses?: Record<string, { headers?: Record<string, unknown> }> }>> }
  ).paths
  for (const item of Object.values(paths ?? {})) {
    for (const op of Object.values(item)) {
      for (const response of Object.values(op.responses ?? {})) {
        for (const [name, header] of Object.entries(response.headers ?? {})) {
          const seen = named[name]
          if (seen !== undefined && stableJson(seen as Json) !== stableJson(header as Json))
            throw new Error(`Two different headers are named ${name}`)
          named[name] = header
          response.headers![name] = { $ref: `#/components/headers/${name}` }
        }
      }
    }
  }
  const components = (document as { components?: object }).components
  return { ...document, components: { ...components, headers: named } }
}

const STATUS_TEXT: Record<string, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted; done in the background',
  204: 'Done; no content',
  400: 'Malformed request (the body is not JSON, or a header is malformed)',
  401: 'No valid credentials',
  403: 'Not allowed (a permission the key lacks, an address it does not accept, or a cross-site request)',
  404: 'Not found, or not in this store',
  409: 'Conflict with the current state (a duplicate, too little stock, a delivery still in flight)',
  413: 'Body over 256 KB',
  415: 'Body not sent as application/json',
  422: 'Invalid input; `details` names each field or query parameter',
  429: 'Rate limited; retry after `Retry-After` seconds',
  503: 'Not ready, or the database is unavailable for a moment; retry after `Retry-After` seconds',
}

/** Each response described by what its status means, where the schema said nothing of its own. */
export function describeResponses<D extends object>(document: D): D {
  const paths = (document as { paths?: Record<string, Record<string, { responses?: Record<string, { description?: string }> }>> }).paths
  for (const item of Object.values(paths ?? {})) {
    for (const op of Object.values(item)) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        const generic =
          response.description === 'Default Response' || response.description === (ErrorResponse as { description?: string }).description
        if (generic && STATUS_TEXT[status]) response.description = STATUS_TEXT[status]
      }
    }
  }
  return document
}

function stableJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(value[k]!)}`)
    .join(',')}}`
}

/** The OpenAPI 3.1 document, built from the routes' own schemas, at `/openapi.json`, and its reference at `/docs`. */
export const openapi = fp<{ tags: Array<{ name: string; description: string }> }>(
  async (app, { tags }) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Deskflow API Keys & Integrations',
          version: '1.0.0',
          description: DESCRIPTION,
          license: { name: 'Proprietary', identifier: 'LicenseRef-Deskflow' },
        },
        // Relative: the server this document was read from, whatever its address.
        servers: [{ url: '/', description: 'This Deskflow server' }],
        tags: [...tags, { name: WEBHOOKS_TAG, description: 'The events a webhook can subscribe to, as they are delivered.' }],
        components: {
          securitySchemes: {
            cookieAuth: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
            bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
            basicAuth: {
              type: 'http',
              scheme: 'basic',
              description:
                'Integrator API: the API key as the user name, the API secret as the password (`curl -u dfk_…:dfs_…`). The scopes listed on each operation are the permissions it requires.',
            },
          },
        },
        webhooks: openapiWebhooks(),
      },
      transformObject: (document) =>
        'openapiObject' in document
          ? nameHeaders(describeResponses(addCodeSamples(nameSchemas(document.openapiObject))))
          : document.swaggerObject,
    })
    app.addHook('onRoute', (route) => {
      // A route that declares no security is public: said so, not left unsaid.
      const schema = route.schema as { hide?: boolean; security?: unknown } | undefined
      if (schema && !schema.hide && schema.security === undefined) schema.security = []
    })
    await app.register(apiReference)
  },
  { name: 'openapi' },
)
