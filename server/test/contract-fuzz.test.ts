import fc from 'fast-check'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { beforeAll, describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import type { AddedMember, CreatedApiKey, Customer, LoginResponse, Order, Product } from '@deskflow/shared'
import { admins, auditLog, webhookDeliveries, webhooks } from '../src/db/schema'
import { hashPassword } from '../src/features/auth/passwords'
import { newSortableId } from '../src/lib/ids'
import { CSRF, TEST_PASSWORD, useHarness } from './helpers/harness'
import {
  CONTENT_TYPES,
  HOSTILE_STRINGS,
  RAW_BODIES,
  boundaries,
  concrete,
  leafPaths,
  operationsOf,
  removeAt,
  setAt,
  validValue,
  wrongTypes,
  type OpenApiDoc,
  type Operation,
  type Parameter,
} from './helpers/contract'
import { basic } from './helpers/integrator'
import type { Receiver } from './helpers/receiver'

/**
 * The contract fuzzer. Every operation of the app's own `/openapi.json` (admin,
 * integrator, session and health) gets requests generated from its own schemas:
 * valid values (so requests reach the database), the ids of real fixtures and
 * unknown ids of the right shape, each bound and one past it, wrong types, unknown
 * properties, missing required ones, hostile text, real, forged and misplaced
 * cursors, malformed JSON and other content types, and missing or wrong
 * credentials. Every answer must be one the document declares for the operation,
 * with a body valid against the declared schema (JSON Schema 2020-12); never a 5xx;
 * every error carries its request id; a refused state-changing request changes no
 * table (the audit log aside: refused reveals are audited by design).
 *
 * Webhook URLs are all rewritten to a receiver on 127.0.0.1 that this file starts,
 * so Send Dummy never sends, and the server never resolves, anything elsewhere.
 *
 * FUZZ_RUNS sets the number of cases (default 3000: about a minute on two idle cores);
 * FUZZ_SEED replays a run (the seed is printed at the start and on failure).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 3000)
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31

const h = useHarness({
  LOG_LEVEL: 'silent',
  LOGIN_RATE_LIMIT: '1000000',
  LOGIN_RATE_LIMIT_PER_ADDRESS: '1000000',
  // Bad credentials are one of the fuzzed inputs; limits have their own tests (limits.test.ts).
  API_AUTH_FAILURE_LIMIT_PER_ADDRESS: '1000000',
  API_AUTH_FAILURE_LIMIT_PER_KEY: '1000000',
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_TIMEOUT_MS: '500',
})

let doc: OpenApiDoc
let operations: Operation[]
let receiver: Receiver
let foreignStore: string
let integrator: string
let bearer: string
let adminEmail: string
/**
 * The admin whose password the fuzzer changes (`OWN_ACCOUNT`), not its own: a change signs out
 * every other session, and the other cases need theirs and the password they send. Each such
 * case signs it in afresh, and a change that succeeded is undone before the next case.
 */
let changer: { id: string; email: string }
let testPasswordHash: string
const OWN_ACCOUNT = new Set(['changePassword'])
const changesOwnAccount = (op: Operation) => OWN_ACCOUNT.has(op.doc.operationId ?? '')
/** Real ids by prefix (`prod`, `cus`, …); the store key under `store`. */
const fixtures: Record<string, string[]> = {}
/** Cursors the server handed out, by the list's URL path. */
const cursors = new Map<string, string[]>()

type Json = Record<string, unknown>

/** POSTs as the fuzzer's key: the created object (answered 201). */
async function created<T>(url: string, body: object): Promise<T> {
  const res = await h.v1('POST', url, body, integrator)
  if (res.statusCode !== 201) throw new Error(`fixture: ${res.statusCode} ${res.body}`)
  return res.json<T>()
}

let serial = 0
/** A new object of each kind, for cases that may delete or use one up. */
const makers: Record<string, () => Promise<string>> = {
  async cus() {
    return (await created<Customer>('/v1/customers', { email: `fixture${++serial}@example.com`, firstName: 'F', lastName: 'X' })).id
  },
  async cat() {
    return (await created<{ id: string }>('/v1/categories', { name: `Fixture ${++serial}` })).id
  },
  async prod() {
    const body = { name: `Fixture ${++serial}`, price: 100, stock: serial % 2 ? null : 50, categoryId: fixtures.cat?.[0] ?? null }
    return (await created<Product>('/v1/products', body)).id
  },
  // On a product of its own: the shared ones may have been made inactive or sold out meanwhile.
  async ord() {
    const product = await created<Product>('/v1/products', { name: `Fixture ${++serial}`, price: 100 })
    const body = { customerId: fixtures.cus?.[0], lineItems: [{ productId: product.id, quantity: 1 }] }
    return (await created<Order>('/v1/orders', body)).id
  },
  async key() {
    const res = await h.admin('POST', '/api-keys', { description: `Fixture ${++serial}`, permissions: ['read_orders'] })
    if (res.statusCode !== 201) throw new Error(`fixture: ${res.statusCode} ${res.body}`)
    return res.json<CreatedApiKey>().id
  },
  async wh() {
    return (await h.addWebhook(receiver.url)).id
  },
  // A member of the store besides the fuzzer's own admin, who stays its owner whatever is changed or removed.
  async adm() {
    const res = await h.admin('POST', '/members', { email: `member${++serial}@example.com`, role: 'developer' })
    if (res.statusCode !== 201) throw new Error(`fixture: ${res.statusCode} ${res.body}`)
    return res.json<AddedMember>().adminId
  },
  // A delivery of the first webhook that failed for good: redelivering it is allowed once.
  async whd() {
    return delivery('failed', 8)
  },
}

/** A delivery of the first webhook, as the worker would have left it; none is ever sent here. */
async function delivery(status: 'failed' | 'pending', attemptCount: number) {
  const [row] = await h.database.db
    .insert(webhookDeliveries)
    .values({
      id: newSortableId('whd'),
      webhookId: fixtures.wh![0]!,
      storeId: h.storeId,
      messageId: newSortableId('msg'),
      eventType: 'order.created',
      payload: { id: newSortableId('evt'), type: 'order.created', timestamp: new Date().toISOString(), data: {} },
      status,
      attemptCount,
      nextAttemptAt: status === 'pending' ? new Date(Date.now() + 3600_000) : null,
    })
    .returning()
  return row!.id
}

/** Body and query properties that name an object: given real ids to reach deeper. */
const REFERENCES: Record<string, string> = { productId: 'prod', customerId: 'cus', categoryId: 'cat', apiKeyId: 'key', deliveryId: 'whd' }

beforeAll(async () => {
  receiver = await h.receiver()
  doc = (await h.anonymous('GET', '/openapi.json')).json<OpenApiDoc>()
  operations = operationsOf(doc)
  foreignStore = (await h.createStore()).key
  adminEmail = h.email
  changer = await h.createAdmin()
  testPasswordHash = await hashPassword(TEST_PASSWORD)
  const login = await h.anonymous('POST', '/auth/login', { email: adminEmail, password: TEST_PASSWORD })
  bearer = login.json<LoginResponse>().token
  // The key the fuzzer calls with; admin routes are only ever given the other keys' ids.
  integrator = (await h.createKey(undefined, { rateLimitPerMinute: 100_000 })).auth
  fixtures.store = [h.storeKey]
  // Several failed deliveries: each can be redelivered once, and the fuzzer refuses many
  // requests before they get that far (an undeclared query parameter is a 422).
  for (const prefix of ['cat', 'cus', 'prod', 'prod', 'prod', 'prod', 'ord', 'key', 'wh', 'whd', 'whd', 'whd', 'whd', 'adm'])
    (fixtures[prefix] ??= []).push(await makers[prefix]!())
  // Deliveries waiting for their next attempt, for "Retry now" (each can be retried again and again).
  for (let i = 0; i < 3; i++) fixtures.whd!.push(await delivery('pending', 1))
  await h.admin('POST', `/webhooks/${fixtures.wh![0]}/test`)
  // The events the fixtures' creation recorded.
  fixtures.evt = (await h.v1('GET', '/v1/events?limit=5', undefined, integrator)).json<{ data: { id: string }[] }>().data.map((e) => e.id)
})

/** What a generated request is made of; resolved against fixtures and cursors when it runs. */
type ParamMode = 'real' | 'fresh' | 'unknown' | 'foreign' | 'boundary' | 'hostile'
type QueryMode = 'valid' | 'boundary' | 'wrongType' | 'hostile' | 'same' | 'other' | 'tampered'
type BodyMode = 'valid' | 'example' | 'boundary' | 'wrongType' | 'unknown' | 'missing' | 'hostile' | 'empty' | 'raw' | 'json' | 'none'
interface Plan {
  op: string
  seed: number
  auth: 'valid' | 'bearer' | 'none' | 'garbage' | 'cookie-only'
  params: Record<string, { mode: ParamMode; pick: number }>
  query: Record<string, { mode: QueryMode; pick: number } | null>
  /** A parameter the operation does not declare, with an ordinary or a hostile value. */
  extraQuery: number | null
  body: { mode: BodyMode; pick: number; real: boolean; json: unknown }
  contentType: number | null
}

const isCursor = (p: Parameter) => /nextCursor/.test(p.description ?? p.schema.description ?? '')
const prefixOf = (p: Parameter) => /^\^([a-z]+)_/.exec(p.schema.pattern ?? '')?.[1] ?? (p.name === 'key' ? 'store' : p.name)

function planOf(op: Operation): fc.Arbitrary<Plan> {
  const pick = fc.nat()
  // Mostly real ids, so requests get past the lookups; now and then one of them is broken.
  const param = fc.record({ mode: fc.constantFrom<ParamMode>('real', 'real', 'real', 'real', 'fresh'), pick })
  const broken = fc.oneof(
    { arbitrary: fc.constant(null), weight: 3 },
    {
      arbitrary: fc.record({ index: fc.nat(), mode: fc.constantFrom<ParamMode>('unknown', 'foreign', 'boundary', 'hostile'), pick }),
      weight: 1,
    },
  )
  const query = (p: Parameter) =>
    fc.option(
      fc.record({
        mode: isCursor(p)
          ? fc.constantFrom<QueryMode>('same', 'same', 'same', 'other', 'tampered', 'valid', 'hostile')
          : fc.constantFrom<QueryMode>('valid', 'valid', 'valid', 'valid', 'boundary', 'wrongType', 'hostile'),
        pick,
      }),
      { freq: 2 },
    )
  const bodyModes: BodyMode[] = op.body
    ? [
        'valid',
        'valid',
        'valid',
        'valid',
        'valid',
        'valid',
        'example',
        'boundary',
        'boundary',
        'wrongType',
        'unknown',
        'missing',
        'hostile',
        'empty',
        'raw',
        'json',
        'none',
      ]
    : ['none', 'none', 'none', 'none', 'none', 'none', 'raw', 'json', 'empty']
  return fc
    .record({
      op: fc.constant(op.name),
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      auth: fc.constantFrom<Plan['auth']>('valid', 'valid', 'valid', 'valid', 'valid', 'valid', 'bearer', 'none', 'garbage', 'cookie-only'),
      params: fc.record(Object.fromEntries(op.params.map((p) => [p.name, param]))),
      broken,
      query: fc.record(Object.fromEntries(op.query.map((p) => [p.name, query(p)]))),
      // One request in ten carries a parameter the operation does not declare (always a 422).
      extraQuery: fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: fc.nat(HOSTILE_STRINGS.length), weight: 1 }),
      // Three bodies in four name real objects where they refer to one: an order needs a real
      // product (and no customer or a real one) to be made at all.
      body: fc.record({
        mode: fc.constantFrom(...bodyModes),
        pick,
        real: fc.constantFrom(true, true, true, false),
        json: fc.jsonValue({ maxDepth: 3 }),
      }),
      contentType: fc.oneof({ arbitrary: fc.constant(null), weight: 12 }, { arbitrary: fc.nat(CONTENT_TYPES.length - 1), weight: 1 }),
    })
    .map(({ broken: b, ...plan }) => {
      const names = Object.keys(plan.params)
      if (b && names.length > 0) plan.params[names[b.index % names.length]!] = { mode: b.mode, pick: b.pick }
      return plan as Plan
    })
}

const choose = <T>(list: readonly T[], n: number): T => list[n % list.length]!

/** A webhook URL: the receiver, whatever was generated (unless it is not a URL at all, which the server refuses). */
function toReceiver(value: unknown): unknown {
  if (typeof value !== 'string' || value.length === 0) return value
  let isUrl = true
  try {
    new URL(value.trim())
  } catch {
    isUrl = false
  }
  if (!isUrl && value.length < 24) return value
  const base = `${receiver.url}?pad=`
  return value.length <= base.length ? receiver.url : base + 'x'.repeat(value.length - base.length)
}

/** Real ids into reference fields, the admin's credentials into sign-in and reveal bodies, every URL to the receiver. */
function ground(value: unknown, real: boolean, pick: number): unknown {
  if (Array.isArray(value)) return value.map((v) => ground(v, real, pick))
  if (!value || typeof value !== 'object') return value
  const out: Json = {}
  for (const [k, v] of Object.entries(value as Json)) {
    if (k === 'url') out[k] = toReceiver(v)
    else if (real && REFERENCES[k] && typeof v === 'string') out[k] = choose(fixtures[REFERENCES[k]!]!, pick)
    else if (real && (k === 'password' || k === 'currentPassword') && typeof v === 'string') out[k] = TEST_PASSWORD
    else if (real && k === 'email' && typeof v === 'string' && pick % 2 === 0) out[k] = adminEmail
    else out[k] = ground(v, real, pick)
  }
  return out
}

function paramValue(p: Parameter, plan: Plan['params'][string], seed: number, fresh: Map<string, string>): string {
  const prefix = prefixOf(p)
  switch (plan.mode) {
    case 'real':
    case 'fresh':
      return fresh.get(p.name) ?? choose(fixtures[prefix] ?? ['x'], plan.pick)
    case 'foreign':
      return prefix === 'store' ? foreignStore : String(validValue(p.schema, seed))
    case 'unknown':
      return String(validValue(p.schema, seed))
    case 'boundary':
      return String(choose(boundaries(p.schema, seed), plan.pick) ?? '')
    case 'hostile':
      return choose(HOSTILE_STRINGS, plan.pick)
  }
}

function tamper(cursor: string, n: number): string {
  const i = n % cursor.length
  const variants = [
    `${cursor.slice(0, i)}${cursor[i] === 'A' ? 'B' : 'A'}${cursor.slice(i + 1)}`,
    cursor.slice(0, -1),
    `${cursor}A`,
    cursor.slice(1),
  ]
  return choose(variants, n)
}

function queryValue(p: Parameter, plan: NonNullable<Plan['query'][string]>, seed: number, listPath: string): string | undefined {
  const mine = cursors.get(listPath) ?? []
  const others = [...cursors.entries()].filter(([path]) => path !== listPath).flatMap(([, list]) => list)
  switch (plan.mode) {
    case 'same':
      return mine.length > 0 ? choose(mine, plan.pick) : undefined
    case 'other':
      return others.length > 0 ? choose(others, plan.pick) : undefined
    case 'tampered': {
      const any = [...mine, ...others]
      return any.length > 0 ? tamper(choose(any, plan.pick), plan.pick) : undefined
    }
    case 'valid': {
      const v = validValue(p.schema, seed)
      return REFERENCES[p.name] && plan.pick % 2 === 0 ? choose(fixtures[REFERENCES[p.name]!]!, plan.pick) : String(v)
    }
    case 'boundary':
      return String(choose(boundaries(p.schema, seed), plan.pick))
    case 'wrongType':
      return JSON.stringify(choose(wrongTypes(p.schema), plan.pick))
    case 'hostile':
      return choose(HOSTILE_STRINGS, plan.pick)
  }
}

function bodyOf(op: Operation, plan: Plan['body'], seed: number): { payload?: string } {
  const schema = op.body
  const paths = schema ? leafPaths(schema) : []
  const target = paths.length > 0 ? choose(paths, plan.pick) : undefined
  const valid = () => ground(schema ? validValue(schema, seed, plan.pick % 2 === 0) : {}, plan.real, plan.pick)
  let body: unknown
  switch (plan.mode) {
    case 'none':
      return {}
    case 'raw':
      return { payload: choose(RAW_BODIES, plan.pick) }
    case 'json':
      body = plan.json
      break
    case 'empty':
      body = {}
      break
    case 'valid':
      body = valid()
      break
    case 'example':
      body = ground(op.example ?? validValue(schema ?? {}, seed), true, plan.pick)
      break
    case 'boundary':
      body = target ? setAt(valid(), target.path, choose(boundaries(target.schema, seed), plan.pick >> 4)) : valid()
      break
    case 'wrongType':
      body = target ? setAt(valid(), target.path, choose(wrongTypes(target.schema), plan.pick >> 4)) : valid()
      break
    case 'hostile':
      body =
        target && concrete(target.schema).type === 'string' ? setAt(valid(), target.path, choose(HOSTILE_STRINGS, plan.pick >> 4)) : valid()
      break
    case 'unknown':
      body = setAt(valid(), [...(target?.path.slice(0, -1) ?? []), `unknown_${plan.pick % 7}`], 1)
      break
    case 'missing': {
      const required = concrete(schema ?? {}).required ?? []
      body = required.length > 0 ? removeAt(valid(), [choose(required, plan.pick)]) : valid()
      break
    }
  }
  // A URL the mutation put in place goes to the receiver too.
  return { payload: JSON.stringify(ground(body, false, 0)) }
}

let spare = ''
/**
 * A session apart from the fuzzer's own, for operations without security: one of
 * them may end the session it is sent with. Replaced once it no longer works.
 */
async function spareSession(): Promise<string> {
  const alive = spare && (await h.anonymous('GET', '/auth/me', undefined, { headers: { cookie: spare } })).statusCode === 200
  if (!alive) spare = await h.login(adminEmail)
  return spare
}

async function headersFor(op: Operation, plan: Plan): Promise<Record<string, string>> {
  const { auth } = plan
  if (auth === 'none') return {}
  if (auth === 'garbage')
    return op.auth === 'admin' ? { cookie: 'df_session=eyJhbGciOiJIUzI1NiJ9.e30.x' } : { authorization: basic('dfk_nobody', 'dfs_nothing') }
  if (op.auth === 'integrator') return { authorization: integrator }
  // The session cookie without the CSRF header: what a page of another origin can send.
  const csrf = auth === 'cookie-only' ? {} : CSRF
  if (changesOwnAccount(op)) {
    const session = await h.login(changer.email)
    return auth === 'bearer' ? { authorization: `Bearer ${session.replace(/^df_session=/, '')}` } : { cookie: session, ...csrf }
  }
  if (op.auth === 'admin') return auth === 'bearer' ? { authorization: `Bearer ${bearer}` } : { cookie: h.cookie, ...csrf }
  const session = await spareSession()
  return auth === 'bearer' ? { authorization: `Bearer ${session.replace(/^df_session=/, '')}` } : { cookie: session, ...csrf }
}

/**
 * Row counts and newest change of every table: equal before and after means nothing
 * changed. The audit log is left out on purpose (a refused reveal is audited), and so
 * are usage counts (refused integrator requests are counted).
 */
async function fingerprint(): Promise<string> {
  const tables = [
    'admins',
    'admin_sessions',
    'stores',
    'store_members',
    'api_keys',
    'customers',
    'products',
    'categories',
    'orders',
    'events',
    'webhooks',
    'webhook_deliveries',
    'webhook_attempts',
  ]
  const counts = tables.map((name) => `(select count(*) from ${name})::text`)
  const changed = ['api_keys', 'customers', 'products', 'categories', 'orders', 'webhooks', 'webhook_deliveries'].map(
    (name) => `coalesce((select max(updated_at) from ${name})::text, '')`,
  )
  const revoked = `coalesce((select max(revoked_at) from admin_sessions)::text, '')`
  const { rows } = await h.database.pool.query<{ f: string }>({
    name: 'fingerprint',
    text: `select concat_ws('|', ${[...counts, ...changed, revoked].join(', ')}) as f`,
  })
  return rows[0]!.f
}

const ajv = new Ajv2020({ strict: true, allErrors: true })
addFormats.default(ajv)
// OpenAPI 3.1's own vocabulary on top of JSON Schema 2020-12.
ajv.addKeyword({ keyword: 'example' })
const validators = new Map<string, ValidateFunction | null>()
function responseValidator(op: Operation, status: string): ValidateFunction | null {
  const key = `${op.name} ${status}`
  if (!validators.has(key)) {
    const schema = op.doc.responses[status]?.content?.['application/json']?.schema
    validators.set(key, schema ? ajv.compile(schema) : null)
  }
  return validators.get(key)!
}

/** The response headers the document promises clients; each one sent must be declared. */
const CONTRACT_HEADERS = [
  'x-request-id',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'ratelimit-policy',
  'ratelimit',
  'retry-after',
  'www-authenticate',
  'idempotency-replayed',
]

const encode = (text: string) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'))

describe('the contract fuzzer', () => {
  it('speaks OpenAPI 3.1 (JSON Schema 2020-12) and lists every operation the app serves', () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(operations.length).toBeGreaterThanOrEqual(45)
    for (const op of operations) expect(Object.keys(op.doc.responses).length, op.name).toBeGreaterThan(0)
  })

  it(`answers every generated request as the document says, never 5xx, and a refused one changes nothing (${RUNS} cases)`, async () => {
    console.info(`contract fuzz: ${RUNS} cases, seed ${SEED} (FUZZ_SEED=${SEED} replays it)`)
    const seen = new Map<string, Map<number, number>>()
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...operations).chain(planOf), async (plan) => {
        const op = operations.find((o) => o.name === plan.op)!
        const fresh = new Map<string, string>()
        for (const p of op.params) {
          const mode = plan.params[p.name]!.mode
          const prefix = prefixOf(p)
          // Never a shared fixture for a delete or a change: the other cases still need it as
          // made (an order cannot be made from a product a PATCH left inactive or priced too high).
          if (makers[prefix] && (mode === 'fresh' || (mode === 'real' && (op.method === 'DELETE' || op.method === 'PATCH'))))
            fresh.set(p.name, await makers[prefix]!())
        }
        const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
          encode(
            paramValue(
              op.params.find((p) => p.name === name)!,
              plan.params[name]!,
              plan.seed,
              fresh,
            ),
          ),
        )
        const search = new URLSearchParams()
        for (const p of op.query) {
          const q = plan.query[p.name]
          const value = q ? queryValue(p, q, plan.seed, path) : undefined
          if (value !== undefined) search.set(p.name, value)
        }
        if (plan.extraQuery !== null)
          search.set('unknown_parameter', plan.extraQuery === 0 ? '1' : choose(HOSTILE_STRINGS, plan.extraQuery - 1))
        const url = `${path}${search.size > 0 ? `?${search}` : ''}`
        const headers = await headersFor(op, plan)
        const { payload } = bodyOf(op, plan.body, plan.seed)
        if (payload !== undefined)
          headers['content-type'] = plan.contentType === null ? 'application/json' : choose(CONTENT_TYPES, plan.contentType)

        const mutating = op.method !== 'GET'
        const before = mutating ? await fingerprint() : ''
        // From one of 16 loopback addresses: limits per address (10 reveals a minute) still bite, but rarely.
        const res = await h.anonymous(op.method, url, payload, { headers, remoteAddress: `127.0.0.${1 + (plan.seed % 16)}` })
        const what = `${op.name}: ${op.method} ${url} ${payload ?? ''}\n→ ${res.statusCode} ${res.body.slice(0, 2000)}`
        const counts = seen.get(op.name) ?? new Map<number, number>()
        counts.set(res.statusCode, (counts.get(res.statusCode) ?? 0) + 1)
        seen.set(op.name, counts)

        expect(res.statusCode, what).toBeLessThan(500)
        expect(Object.keys(op.doc.responses), `undeclared status. ${what}`).toContain(String(res.statusCode))
        // Every header of the contract that the answer carries is declared for its status.
        const declared = Object.keys(op.doc.responses[String(res.statusCode)]?.headers ?? {}).map((name) => name.toLowerCase())
        for (const name of CONTRACT_HEADERS)
          if (res.headers[name] !== undefined) expect(declared, `undeclared header ${name}. ${what}`).toContain(name)
        const validate = responseValidator(op, String(res.statusCode))
        if (validate) {
          expect(res.headers['content-type'], what).toMatch(/^application\/json/)
          const body: unknown = res.json()
          expect(validate(body), `${what}\n${ajv.errorsText(validate.errors)}`).toBe(true)
        } else {
          expect(res.body, what).toBe('')
        }
        if (res.statusCode >= 400) {
          const { error } = res.json<{ error: { requestId: string } }>()
          expect(error.requestId, what).toMatch(/^req_/)
          if (res.headers['x-request-id']) expect(error.requestId, what).toBe(res.headers['x-request-id'])
          if (mutating) expect(await fingerprint(), `a refused request changed data. ${what}`).toBe(before)
        }
        if (res.statusCode === 200 && /nextCursor/.test(res.body)) {
          const next = res.json<{ nextCursor: string | null }>().nextCursor
          if (next) cursors.set(path, [...(cursors.get(path) ?? []).slice(-20), next])
        }
        if (res.statusCode === 200 && op.path.endsWith('/test'))
          expect(res.json<{ request: { url: string } }>().request.url.startsWith(receiver.url), what).toBe(true)
        if (res.statusCode < 300 && changesOwnAccount(op))
          await h.database.db.update(admins).set({ passwordHash: testPasswordHash }).where(eq(admins.id, changer.id))
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    )

    const summary = [...seen].map(
      ([name, counts]) => `${name} ${JSON.stringify(Object.fromEntries([...counts].sort(([a], [b]) => a - b)))}`,
    )
    console.info(`contract fuzz: statuses by operation\n${summary.join('\n')}`)
    // Enough cases reach every operation's success: the fuzzer goes past validation everywhere.
    if (RUNS >= 2000) {
      const neverSucceeded = operations.filter((op) => ![...(seen.get(op.name)?.keys() ?? [])].some((s) => s < 300)).map((op) => op.name)
      expect(neverSucceeded, 'operations no generated request succeeded on').toEqual([])
    }
  }, 900_000)

  it('sent webhooks to the test receiver only', async () => {
    const urls = (await h.database.db.select({ url: webhooks.url }).from(webhooks)).map((w) => w.url)
    const audited = (
      await h.database.db
        .select({ metadata: auditLog.metadata })
        .from(auditLog)
        .where(sql`${auditLog.action} like 'webhook.%'`)
    )
      .flatMap(({ metadata }) => {
        const m = metadata as { url?: string; before?: { url?: string }; after?: { url?: string } }
        return [m.url, m.before?.url, m.after?.url]
      })
      .filter((u): u is string => typeof u === 'string')
    expect(urls.length).toBeGreaterThan(1)
    const origin = new URL(receiver.url).origin
    for (const url of [...urls, ...audited]) expect(new URL(url).origin, url).toBe(origin)
    expect(receiver.received.length).toBeGreaterThan(0)
  })
})
