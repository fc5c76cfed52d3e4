import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import type { CreatedWebhook, Customer, Order, Product } from '@deskflow/shared'
import { useTestApp, CSRF } from './helpers/app'
import { storeWithAdmin, type StoreFixture } from './helpers/integrator'

/**
 * Property: whatever arrives (random and malformed bodies, query strings, path
 * parameters and headers) on any admin or integrator route, the answer is never a
 * 5xx, always has the error shape when it is an error, and a refused request
 * changes nothing in the database.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000)
const t = useTestApp({ LOG_LEVEL: 'silent', LOGIN_RATE_LIMIT: '1000000', LOGIN_RATE_LIMIT_PER_ADDRESS: '1000000', WEBHOOK_TIMEOUT_MS: '200' })
let store: StoreFixture
let auth: string
const ids: Record<string, string> = {}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'
interface Route {
  method: Method
  path: string
  admin: boolean
  /** Field names the route knows, so generated bodies reach deeper than "unknown field". */
  fields: string[]
  /** Never given the fixtures' real ids (the route would delete or replace what the other cases use). */
  fakeIds?: boolean
}

const R = (method: Method, path: string, admin: boolean, fields: string[] = [], fakeIds = false): Route => ({ method, path, admin, fields, fakeIds })

/** A body each route accepts; the fuzzer replaces one field of it, so most requests pass the schema and reach the database. */
const VALID: Record<string, () => Record<string, unknown>> = {
  'POST /auth/login': () => ({ email: 'nobody@example.com', password: 'guess' }),
  'POST /stores/{store}/api-keys': () => ({ description: 'Fuzz key', permissions: ['read_orders'] }),
  'PATCH /stores/{store}/api-keys/{key}': () => ({ description: 'Fuzz key' }),
  'POST /stores/{store}/api-keys/{key}/reveal': () => ({ password: 'guess' }),
  'POST /stores/{store}/api-keys/{key}/regenerate-secret': () => ({ gracePeriod: '1h' }),
  'POST /stores/{store}/webhooks': () => ({ url: 'https://hooks.example.com/a', event: 'order.created' }),
  'PATCH /stores/{store}/webhooks/{wh}': () => ({ status: 'active' }),
  'POST /stores/{store}/webhooks/{wh}/replay': () => ({ since: '2026-01-01T00:00:00Z' }),
  'POST /stores/{store}/webhooks/{wh}/reveal-secret': () => ({ password: 'guess' }),
  'POST /v1/customers': () => ({ email: 'c@example.com', firstName: 'F', lastName: 'Z' }),
  'PATCH /v1/customers/{customers}': () => ({ lastName: 'Z' }),
  'POST /v1/products': () => ({ name: 'Mug', price: 100 }),
  'PATCH /v1/products/{products}': () => ({ price: 100 }),
  'POST /v1/categories': () => ({ name: 'Cups' }),
  'PATCH /v1/categories/{categories}': () => ({ name: 'Cups' }),
  'POST /v1/orders': () => ({ lineItems: [{ productId: ids.products, quantity: 1 }] }),
  'PATCH /v1/orders/{orders}': () => ({ note: 'n' }),
}
const ROUTES: Route[] = [
  R('POST', '/auth/login', false, ['email', 'password']),
  R('GET', '/auth/me', true),
  R('GET', '/stores', true),
  R('GET', '/stores/{store}/api-keys', true),
  R('POST', '/stores/{store}/api-keys', true, ['description', 'permissions', 'activated', 'expiresAt', 'allowedIps', 'rateLimitPerMinute']),
  R('GET', '/stores/{store}/api-keys/{key}', true),
  R('PATCH', '/stores/{store}/api-keys/{key}', true, ['description', 'permissions', 'activated', 'expiresAt', 'allowedIps', 'rateLimitPerMinute']),
  R('POST', '/stores/{store}/api-keys/{key}/reveal', true, ['password']),
  R('POST', '/stores/{store}/api-keys/{key}/regenerate-secret', true, ['gracePeriod']),
  R('GET', '/stores/{store}/audit-log', true),
  R('GET', '/stores/{store}/usage', true),
  R('GET', '/stores/{store}/webhooks', true),
  R('POST', '/stores/{store}/webhooks', true, ['url', 'event']),
  R('GET', '/stores/{store}/webhooks/{wh}', true),
  R('PATCH', '/stores/{store}/webhooks/{wh}', true, ['url', 'event', 'status']),
  R('GET', '/stores/{store}/webhooks/{wh}/deliveries', true),
  R('POST', '/stores/{store}/webhooks/{wh}/replay', true, ['since', 'include']),
  R('POST', '/stores/{store}/webhooks/{wh}/reveal-secret', true, ['password']),
  R('POST', '/stores/{store}/webhooks/{wh}/deliveries/{whd}/redeliver', true),
  // Destructive ones, on ids that are not the fixtures'; sign-out without the admin's
  // cookie (a valid case sends the integrator's Basic header, which it ignores).
  R('DELETE', '/stores/{store}/api-keys/{key}', true, [], true),
  R('DELETE', '/stores/{store}/webhooks/{wh}', true, [], true),
  R('POST', '/stores/{store}/webhooks/{wh}/test', true, [], true),
  R('POST', '/stores/{store}/webhooks/{wh}/rotate-secret', true, [], true),
  R('POST', '/auth/logout', false),
  ...(['customers', 'products', 'categories', 'orders'] as const).flatMap((r) => {
    const fields = {
      customers: ['email', 'firstName', 'lastName', 'phone'],
      products: ['name', 'description', 'sku', 'price', 'stock', 'categoryId', 'active'],
      categories: ['name', 'description'],
      orders: ['customerId', 'status', 'lineItems', 'note', 'productId', 'quantity'],
    }[r]
    return [
      R('GET', `/v1/${r}`, false),
      R('GET', `/v1/${r}/{${r}}`, false),
      R('POST', `/v1/${r}`, false, fields),
      R('PATCH', `/v1/${r}/{${r}}`, false, fields),
      R('DELETE', `/v1/${r}/{${r}}`, false),
    ]
  }),
]

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  // Text with a character databases and parsers trip over, somewhere inside.
  fc.tuple(fc.string({ maxLength: 5 }), fc.constantFrom('\u0000', '\ud800', '\uffff', '\u202e', '\r\n'), fc.string({ maxLength: 5 })).map((p) => p.join('')),
  fc.constantFrom('', ' ', '\u0000', '%00', '../../etc/passwd', '"; drop table api_keys; --', '<script>alert(1)</script>', '0', '-1', '1e309', 'null', 'true', '[]', '{}', '🦄'.repeat(300), 'x'.repeat(5000)),
  fc.integer().map(String),
  fc.double().map(String),
)
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    { arbitrary: nasty, weight: 5 },
    { arbitrary: fc.integer(), weight: 2 },
    { arbitrary: fc.constantFrom(2 ** 53, -(2 ** 53), 2 ** 31, 1e21, Number.MAX_SAFE_INTEGER, -0, 0.5), weight: 1 },
    { arbitrary: fc.boolean(), weight: 1 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: fc.array(tie('v'), { maxLength: 4 }), weight: 1 },
    { arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), tie('v'), { maxKeys: 4 }), weight: 1 },
  ),
})).v

/** Values that pass a schema's type checks, so the request reaches the service and the database. */
const plausible = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('Mug', 'ok', 'ada@example.com', 'https://hooks.example.com/x', 'order.created', 'paid', '2030-01-01T00:00:00Z', '10.0.0.0/8'),
      fc.option(fc.constantFrom('\u0000', '\u202e', '\ud800', ' ', '\n'), { freq: 2 }),
    )
    .map(([text, extra]) => (extra === null ? text : `${text}${extra}x`)),
  fc.integer({ min: -10, max: 2 ** 40 }),
  fc.constantFrom(true, false, null, [], ['read_orders'], [{ productId: 'prod_x', quantity: 1 }]),
)

function bodyFor(route: Route): fc.Arbitrary<unknown> {
  const valid = VALID[`${route.method} ${route.path}`]
  const mutated = valid
    ? fc
        .tuple(fc.constantFrom(...(route.fields.length > 0 ? route.fields : ['x'])), fc.oneof({ arbitrary: plausible, weight: 3 }, { arbitrary: value, weight: 2 }))
        .map(([field, v]) => ({ ...valid(), [field]: v }))
    : fc.constant({})
  const known =
    route.fields.length > 0
      ? fc.dictionary(fc.constantFrom(...route.fields), fc.oneof({ arbitrary: plausible, weight: 3 }, { arbitrary: value, weight: 2 }), {
          maxKeys: route.fields.length,
        })
      : fc.constant({})
  return fc.oneof(
    { arbitrary: mutated, weight: 8 },
    { arbitrary: known, weight: 3 },
    { arbitrary: value, weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  )
}

/** Real ids (so some requests go deep), ids of the wrong kind, and garbage. */
function paramFor(name: string, fakeIds = false): fc.Arbitrary<string> {
  const made = fc.oneof(fc.constantFrom('demo', 'key_x', 'wh_x', 'whd_x', 'prod_x', 'cus_0', 'ord_'), nasty.map((s) => encode(s).slice(0, 300)))
  // The store stays real: the destructive routes must reach the id lookup.
  if (fakeIds && name !== 'store') return made.filter((v) => !Object.values(ids).includes(v))
  return fc.oneof(fc.constant(ids[name] ?? 'x'), made)
}

/** encodeURIComponent refuses lone surrogates; a URL carries them as U+FFFD anyway. */
const encode = (text: string) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'))

const rawBody = fc.oneof(fc.constant('{'), fc.constant('{"a":}'), fc.constant('[1,2'), fc.constant('{"__proto__":{"x":1}}'), fc.string())
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '')
const queryValue = fc.oneof(nasty.map((s) => encode(s)), fc.constantFrom('0', '101', '-5', '1.5', 'abc', '24h', '7d', 'failed', '2026-01-01T00:00:00Z', '0000-01-01T00:00:00Z'))
const query = fc.dictionary(fc.constantFrom('limit', 'cursor', 'updated_since', 'period', 'apiKeyId', 'status', 'before', 'x'), queryValue, { maxKeys: 3 })

beforeAll(async () => {
  store = await storeWithAdmin(t)
  // A limit this fuzz cannot reach: rate limiting has its own tests.
  const key = await store.createKey(undefined, { rateLimitPerMinute: 100_000 })
  auth = key.auth
  ids.store = store.storeKey
  ids.key = key.id
  const v1 = async <T>(url: string, payload: object) =>
    (await t.app.inject({ method: 'POST', url, headers: { authorization: auth }, payload })).json<T>()
  ids.customers = (await v1<Customer>('/v1/customers', { email: 'fuzz@example.com', firstName: 'F', lastName: 'Z' })).id
  ids.categories = (await v1<{ id: string }>('/v1/categories', { name: 'Fuzz' })).id
  ids.products = (await v1<Product>('/v1/products', { name: 'Fuzz', price: 1 })).id
  ids.orders = (await v1<Order>('/v1/orders', { lineItems: [{ productId: ids.products, quantity: 1 }] })).id
  const hook = await t.app.inject({ method: 'POST', url: `/stores/${store.storeKey}/webhooks`, headers: { cookie: store.cookie, ...CSRF }, payload: { url: 'https://hooks.example.com/fuzz', event: 'order.created' } })
  ids.wh = hook.json<CreatedWebhook>().id
})

/**
 * Row counts and newest change of every table: equal before and after means nothing
 * changed. The audit log is left out on purpose: a refused reveal is audited.
 */
async function fingerprint(): Promise<string> {
  const tables = ['admins', 'admin_sessions', 'stores', 'api_keys', 'customers', 'products', 'categories', 'orders', 'events', 'webhooks', 'webhook_deliveries', 'webhook_attempts']
  const parts = tables.map((name) => `(select count(*) from ${name})::text`)
  const changed = ['api_keys', 'customers', 'products', 'categories', 'orders', 'webhooks'].map((name) => `coalesce((select max(updated_at) from ${name})::text, '')`)
  const { rows } = await t.database.db.execute(sql.raw(`select concat_ws('|', ${[...parts, ...changed].join(', ')}) as f`))
  return (rows[0] as { f: string }).f
}

describe('fuzzing every admin and integrator route', () => {
  it(`never answers 5xx, and a refused request changes nothing (${RUNS} cases)`, async () => {
    const statuses = new Map<number, number>()
    const routeArb = fc.constantFrom(...ROUTES).chain((route) =>
      fc.record({
        route: fc.constant(route),
        params: fc.record(Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, paramFor(name!, route.fakeIds)]))),
        query,
        body: bodyFor(route),
        raw: fc.option(rawBody, { freq: 5 }),
        contentType: fc.option(contentType, { freq: 3 }),
        // 'cookie only': the session cookie without the header a cross-site page cannot send.
        auth: fc.constantFrom('valid', 'valid', 'valid', 'none', 'garbage', 'cookie only'),
      }),
    )
    await fc.assert(
      fc.asyncProperty(routeArb, async ({ route, params, query: q, body, raw, contentType: ct, auth: who }) => {
        const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => (params as Record<string, string>)[name]!)
        const search = new URLSearchParams(q as Record<string, string>).toString()
        const headers: Record<string, string> = {}
        if (who === 'valid') {
          if (route.admin) Object.assign(headers, { cookie: store.cookie }, CSRF)
          else headers.authorization = auth
        } else if (who === 'garbage') headers.authorization = 'Basic Zm9vOmJhcg=='
        else if (who === 'cookie only') headers.cookie = store.cookie
        const hasBody = route.method !== 'GET' && route.method !== 'DELETE'
        let payload: string | undefined
        if (hasBody && raw !== null) payload = raw
        else if (hasBody && body !== undefined) payload = JSON.stringify(body)
        if (payload !== undefined) headers['content-type'] = ct ?? 'application/json'
        const mutating = route.method !== 'GET'
        const before = mutating ? await fingerprint() : ''
        const res = await t.app.inject({ method: route.method, url: `${path}${search ? `?${search}` : ''}`, headers, ...(payload !== undefined && { payload }) })
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
        expect(res.statusCode, `${route.method} ${path} ${payload ?? ''}\n${res.body}`).toBeLessThan(500)
        if (res.statusCode >= 400) {
          const error = res.json<{ error: { code: string; message: string; requestId: string } }>().error
          expect(typeof error.code).toBe('string')
          expect(error.message.length).toBeGreaterThan(0)
          if (mutating && res.statusCode !== 429) expect(await fingerprint(), `${route.method} ${path} changed data`).toBe(before)
        }
      }),
      { numRuns: RUNS },
    )
    console.info(`fuzz: ${RUNS} cases; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`)
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true)
  }, 600_000)
})
