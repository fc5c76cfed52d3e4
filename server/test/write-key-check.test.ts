import http from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Customer, Order } from '@deskflow/shared'
import { waitForWritesInFlight } from '../src/features/api-keys/write-key-check'
import { until, useHarness, type Answer, type ApiKeyFixture } from './helpers/harness'

/**
 * A write checks its API key again inside its own transaction, and a change of a key answers
 * only once the transactions running at its commit have ended (`api-keys/write-key-check.ts`): a
 * revocation that commits between a request's key check and its write refuses the write with
 * nothing written, and one that commits while a write runs answers after that write. So no
 * write made with a key commits after the answer to the key's revocation, on top of every
 * request sent after that answer being refused (`multi-instance.test.ts`).
 */
// Every refusal here comes from 127.0.0.1: more than the default failures a minute per address.
const h = useHarness({ API_AUTH_FAILURE_LIMIT_PER_ADDRESS: '10000' })
const LIMIT = { rateLimitPerMinute: 100000 }
let origin = ''

beforeAll(async () => {
  await h.app.listen({ port: 0, host: '127.0.0.1' })
  const address = h.app.server.address() as AddressInfo
  origin = `http://127.0.0.1:${address.port}`
})

let n = 0
const customerBody = () => ({ email: `write-check-${++n}@example.com`, firstName: 'Ada', lastName: 'Lovelace' })

async function count(table: 'customers' | 'orders' | 'events'): Promise<number> {
  const { rows } = await h.database.pool.query<{ n: number }>(`select count(*)::int as n from ${table}`)
  return rows[0]!.n
}

/** Until `n` sessions of the test's database wait for a lock. */
async function waitUntilWaiting(n = 1) {
  for (let i = 0; i < 400; i++) {
    const { rows } = await h.database.pool.query<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
    )
    if (rows[0]!.n >= n) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`fewer than ${n} sessions ever waited for a lock`)
}

/** A connection of its own, in a transaction, until `end` commits it. */
async function transaction() {
  const client = new pg.Client({ connectionString: h.database.url })
  await client.connect()
  await client.query('begin')
  return {
    query: (text: string, values?: unknown[]) => client.query(text, values),
    async end() {
      await client.query('commit')
      await client.end()
    },
  }
}

const auth = (key: ApiKeyFixture) => key.auth

/**
 * A request over real HTTP whose headers go first: the server judges its key as soon as they
 * arrive (`onRequest`), and writes only once `finish` has sent the body.
 */
function slowRequest(method: string, path: string, key: ApiKeyFixture, body: object, headers: Record<string, string> = {}) {
  const payload = JSON.stringify(body)
  const req = http.request(`${origin}${path}`, {
    method,
    headers: {
      connection: 'close',
      authorization: auth(key),
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      ...headers,
    },
  })
  const answer = new Promise<{ statusCode: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    req.on('error', reject)
    req.on('response', (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body: text, headers: res.headers }))
    })
  })
  req.flushHeaders()
  req.write(payload.slice(0, 1))
  return { answer, finish: () => req.end(payload.slice(1)) }
}

/** Every revocation, as SQL committed directly (the admin API's own are below). */
const REVOCATIONS: Record<string, string> = {
  deletion: 'delete from api_keys where id = $1',
  deactivation: 'update api_keys set activated = false where id = $1',
  'loss of the permission': "update api_keys set permissions = array['read_customers'] where id = $1",
  'new secret without grace': "update api_keys set secret_hash = 'replaced' where id = $1",
}

/** Long enough for the server to have judged a request's key once its headers arrived. */
const JUDGED_MS = 300

describe('a key revoked after its request was accepted, before its write', () => {
  // Each write: what it sends, and the table that must be left as it was when it is refused.
  const writes: Array<{
    name: string
    table: 'customers' | 'orders'
    prepare(key: ApiKeyFixture): Promise<[method: string, path: string, body: object, headers?: Record<string, string>]>
  }> = [
    { name: 'a create (one statement)', table: 'customers', prepare: async () => ['POST', '/v1/customers', customerBody()] },
    {
      name: 'a create under an Idempotency-Key',
      table: 'customers',
      prepare: async () => ['POST', '/v1/customers', customerBody(), { 'idempotency-key': `write-check-${n}` }],
    },
    {
      name: 'an update (a transaction)',
      table: 'customers',
      async prepare() {
        const customer = await h.create<Customer>('/v1/customers', customerBody())
        return ['PATCH', `/v1/customers/${customer.id}`, { firstName: 'Grace' }]
      },
    },
    {
      name: 'a delete',
      table: 'customers',
      async prepare() {
        const customer = await h.create<Customer>('/v1/customers', customerBody())
        return ['DELETE', `/v1/customers/${customer.id}`, {}]
      },
    },
    {
      name: 'an order',
      table: 'orders',
      async prepare() {
        const product = await h.createProduct({ name: 'Mug', price: 1250, stock: 5 })
        return ['POST', '/v1/orders', { lineItems: [{ productId: product.id, quantity: 1 }] }]
      },
    },
  ]

  for (const write of writes) {
    for (const [revocation, statement] of Object.entries(REVOCATIONS)) {
      it(`${write.name}: refused after the ${revocation}, and nothing written`, async () => {
        const key = await h.createKey(['write_customers', 'write_orders', 'read_customers'], LIMIT)
        const [method, path, body, headers] = await write.prepare(key)
        const before = { rows: await count(write.table), events: await count('events') }
        const snapshot = (await h.database.pool.query(`select * from ${write.table} order by id`)).rows

        const request = slowRequest(method, path, key, body, headers)
        await new Promise((r) => setTimeout(r, JUDGED_MS))
        await h.database.pool.query(statement, [key.id])
        request.finish()

        const res = await request.answer
        expect(res.statusCode, res.body).toBe(401)
        expect(JSON.parse(res.body).error.message).toBe('Invalid API key or secret')
        expect(res.headers['www-authenticate']).toMatch(/^Basic /)
        // Refused by the write's own check, not by onRequest's (which had passed).
        expect(h.logs.some((line) => line.includes('revoked_during_write') && line.includes(key.id))).toBe(true)
        expect({ rows: await count(write.table), events: await count('events') }).toEqual(before)
        expect((await h.database.pool.query(`select * from ${write.table} order by id`)).rows).toEqual(snapshot)
      })
    }
  }

  it('a key that expires after its request arrived, before its write: refused, judged at the time of the write', async () => {
    const key = await h.createKey(['write_customers'], { ...LIMIT, expiresAt: new Date(Date.now() + JUDGED_MS * 2).toISOString() })
    const before = await count('customers')
    const request = slowRequest('POST', '/v1/customers', key, customerBody())
    await new Promise((r) => setTimeout(r, JUDGED_MS * 3))
    request.finish()
    expect((await request.answer).statusCode).toBe(401)
    expect(h.logs.some((line) => line.includes('revoked_during_write') && line.includes(key.id))).toBe(true)
    expect(await count('customers')).toBe(before)
  })

  it('an Idempotency-Key whose write was refused so is free again: a retry with a valid key is not told it is running', async () => {
    const key = await h.createKey(['write_customers'], LIMIT)
    const body = customerBody()
    const headers = { 'idempotency-key': 'write-check-retry' }
    const request = slowRequest('POST', '/v1/customers', key, body, headers)
    await new Promise((r) => setTimeout(r, JUDGED_MS))
    await h.database.pool.query('update api_keys set activated = false where id = $1', [key.id])
    request.finish()
    expect((await request.answer).statusCode).toBe(401)

    expect((await h.admin('PATCH', `/api-keys/${key.id}`, { activated: true })).statusCode).toBe(200)
    const retry = await h.v1('POST', '/v1/customers', body, { auth: auth(key), headers })
    expect(retry.statusCode, retry.body).toBe(201)
    expect(retry.json<Customer>().email).toBe(body.email)
  })
})

describe('a change of the key while a write runs', () => {
  /**
   * An update whose key was checked inside its transaction and which then waits for its
   * customer's row (locked here): a real write in flight, for as long as the test keeps that row.
   */
  async function writeInFlight(key: ApiKeyFixture) {
    const customer = await h.create<Customer>('/v1/customers', customerBody())
    const blocker = await transaction()
    await blocker.query('select 1 from customers where id = $1 for update', [customer.id])
    const order: string[] = []
    const write = h.v1('PATCH', `/v1/customers/${customer.id}`, { firstName: 'Grace' }, auth(key)).then((res) => {
      order.push('write')
      return res
    })
    await waitUntilWaiting(1)
    return { customer, blocker, order, write }
  }

  const revocations: Array<[string, (key: ApiKeyFixture) => Promise<Answer>, number]> = [
    ['DELETE', (key) => h.admin('DELETE', `/api-keys/${key.id}`), 204],
    ['deactivation', (key) => h.admin('PATCH', `/api-keys/${key.id}`, { activated: false }), 200],
    ['regeneration without grace', (key) => h.admin('POST', `/api-keys/${key.id}/regenerate-secret`, { gracePeriod: 'none' }), 200],
  ]

  for (const [name, revoke, status] of revocations) {
    it(`${name} answers only once the write committed`, async () => {
      const key = await h.createKey(['write_customers'])
      const { customer, blocker, order, write } = await writeInFlight(key)
      const revocation = revoke(key).then((res) => {
        order.push('revocation')
        return res
      })
      // The revocation has committed (the next request is refused) and waits for the write's transaction.
      await until(
        async () => (await h.v1('POST', '/v1/customers', customerBody(), auth(key))).statusCode,
        (s) => s === 401,
      )
      await new Promise((r) => setTimeout(r, 100))
      expect(order).toEqual([])
      await blocker.end()

      const [w, r] = await Promise.all([write, revocation])
      expect(w.statusCode, w.body).toBe(200)
      expect(r.statusCode, r.body).toBe(status)
      expect(order).toEqual(['write', 'revocation'])
      expect((await h.v1('GET', `/v1/customers/${customer.id}`)).json<Customer>().firstName).toBe('Grace')
      // And after the answer, the key writes nothing.
      expect((await h.v1('POST', '/v1/customers', customerBody(), auth(key))).statusCode).toBe(401)
    })
  }
})

describe('concurrent writes and a revocation', () => {
  for (const [name, revoke] of [
    ['DELETE', (key: ApiKeyFixture) => h.admin('DELETE', `/api-keys/${key.id}`)],
    ['deactivation', (key: ApiKeyFixture) => h.admin('PATCH', `/api-keys/${key.id}`, { activated: false })],
    [
      'regeneration without grace',
      (key: ApiKeyFixture) => h.admin('POST', `/api-keys/${key.id}/regenerate-secret`, { gracePeriod: 'none' }),
    ],
  ] as const) {
    it(`${name}: no write made with the key commits after the revocation answered`, async () => {
      const key = await h.createKey(['write_customers', 'write_orders'], LIMIT)
      const product = await h.createProduct({ name: 'Tea', price: 500 })
      let stop = false
      const created: string[] = []
      const statuses = new Set<number>()
      // Six writers, one statement and transactions, each sending again as soon as answered.
      const writer = async (i: number) => {
        while (!stop) {
          const res =
            i % 2 === 0
              ? await h.v1('POST', '/v1/customers', customerBody(), auth(key))
              : await h.v1('POST', '/v1/orders', { lineItems: [{ productId: product.id, quantity: 1 }] }, auth(key))
          statuses.add(res.statusCode)
          if (res.statusCode === 201) created.push(res.json<Customer | Order>().id)
        }
      }
      const writers = Array.from({ length: 6 }, (_, i) => writer(i))
      await new Promise((r) => setTimeout(r, 300))
      const res = await revoke(key)
      expect(res.statusCode, res.body).toBeLessThan(300)
      const committed = { customers: await count('customers'), orders: await count('orders') }
      stop = true
      await Promise.all(writers)
      expect(statuses.has(201)).toBe(true)
      // Refused once revoked: 401, and 429 once the key's failures pile up.
      expect([...statuses].filter((s) => s !== 201 && s !== 401 && s !== 429)).toEqual([])
      // Everything written after the revocation's answer was counted then: nothing committed later.
      expect({ customers: await count('customers'), orders: await count('orders') }).toEqual(committed)
      const { rows } = await h.database.pool.query<{ id: string }>(
        'select id from customers where id = any($1) union all select id from orders where id = any($1)',
        [created],
      )
      expect(rows.length).toBe(created.length)
    })
  }
})

describe('waiting for the transactions in flight', () => {
  it('waits for a transaction open at the call, and warns once it gives up on it; none open, it returns at once', async () => {
    const warnings: unknown[][] = []
    const log = { warn: (...args: unknown[]) => void warnings.push(args) }
    const open = await transaction()
    await open.query('select 1')
    const started = Date.now()
    await waitForWritesInFlight(h.database.db, log, 300)
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    expect(warnings).toHaveLength(1)
    // At least the one open here (the app's own may be running one too).
    expect(warnings[0]![0]).toMatchObject({ transactions: expect.any(Number), waitedMs: 300 })
    expect((warnings[0]![0] as { transactions: number }).transactions).toBeGreaterThanOrEqual(1)

    const ending = waitForWritesInFlight(h.database.db, log, 10_000)
    await new Promise((r) => setTimeout(r, 100))
    await open.end()
    await ending
    expect(warnings).toHaveLength(1)
  })
})
