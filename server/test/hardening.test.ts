import { describe, expect, it } from 'vitest'
import { and, count, eq } from 'drizzle-orm'
import type { ApiKey, Category, Customer, ErrorResponse, Order, Product } from '@deskflow/shared'
import { apiKeys, auditLog, events } from '../src/db/schema'
import { useHarness, CSRF } from './helpers/harness'

/** Inputs that once reached the database or slipped past a check: each gets a clear answer now. */
const h = useHarness()

function expectField(res: { statusCode: number; json: <T>() => T }, status: number, field: string) {
  expect(res.statusCode).toBe(status)
  expect(res.json<ErrorResponse>().error.details?.map((d) => d.field)).toContain(field)
}

describe('text PostgreSQL cannot store', () => {
  it('a NUL character is refused with 422 naming the field, on integrator and admin routes', async () => {
    expectField(await h.v1('POST', '/v1/categories', { name: 'a\u0000b' }), 422, 'name')
    expectField(await h.v1('POST', '/v1/orders', { lineItems: [{ productId: 'prod_\u0000', quantity: 1 }] }), 422, 'lineItems.0.productId')
    const before = await h.database.db.select({ n: count() }).from(apiKeys)
    expectField(await h.admin('POST', '/api-keys', { description: 'a\u0000b' }), 422, 'description')
    expect(await h.database.db.select({ n: count() }).from(apiKeys)).toEqual(before)
  })
})

describe('numbers and dates at the edges', () => {
  it('stores the largest allowed price, and refuses an order whose total would overflow', async () => {
    const big = await h.v1('POST', '/v1/products', { name: 'Yacht', price: 100_000_000_000 })
    expect(big.statusCode).toBe(201)
    const p = big.json<Product>()
    expect(p.price).toBe(100_000_000_000)
    const order = await h.v1('POST', '/v1/orders', { lineItems: [{ productId: p.id, quantity: 2 }] })
    expectField(order, 422, 'lineItems')
    const fine = await h.v1('POST', '/v1/orders', { lineItems: [{ productId: p.id, quantity: 1 }] })
    expect(fine.json<Order>().total).toBe(100_000_000_000)
  })

  it('refuses dates the database cannot compare, naming the parameter', async () => {
    expectField(await h.v1('GET', '/v1/products?updated_since=0000-01-01T00:00:00Z'), 422, 'updated_since')
    expectField(await h.admin('POST', '/api-keys', { description: 'far', expiresAt: '0001-01-01T00:00:00Z' }), 422, 'expiresAt')
  })
})

describe('permission before input', () => {
  it('a key without the permission gets 403, whatever the body, query or id', async () => {
    const readOnly = (await h.createKey(['read_products'])).auth
    for (const res of [
      await h.v1('POST', '/v1/products', {}, readOnly),
      await h.v1('GET', '/v1/orders?limit=500', undefined, readOnly),
      await h.v1('DELETE', '/v1/products/not-an-id', undefined, readOnly),
    ]) {
      expect(res.statusCode).toBe(403)
      expect(res.json<ErrorResponse>().error.code).toBe('forbidden')
    }
  })
})

describe('trimming', () => {
  it('a description of 255 characters with spaces around is accepted, trimmed', async () => {
    const res = await h.admin('POST', '/api-keys', { description: `  ${'d'.repeat(255)}  ` })
    expect(res.statusCode).toBe(201)
    expect(res.json<ApiKey>().description).toBe('d'.repeat(255))
  })
})

describe('signing out', () => {
  it('revokes the session: the same token is refused from the next request on', async () => {
    const other = await h.newStore()
    const token = other.cookie.replace('df_session=', '')
    const bearer = { headers: { authorization: `Bearer ${token}` } }
    expect((await h.anonymous('GET', '/auth/me', undefined, bearer)).statusCode).toBe(200)
    expect((await other.signedIn('POST', '/auth/logout')).statusCode).toBe(204)
    expect((await h.anonymous('GET', '/auth/me', undefined, bearer)).statusCode).toBe(401)
    expect((await other.signedIn('GET', '/auth/me')).statusCode).toBe(401)
  })
})

describe('cross-site requests (CSRF)', () => {
  it('a form a foreign page can send with the cookie (urlencoded, text/plain, multipart) is refused, changing nothing', async () => {
    const before = await h.database.db.select({ n: count() }).from(apiKeys)
    for (const [type, payload] of [
      ['application/x-www-form-urlencoded', 'description=CSRF&permissions=write_orders'],
      ['text/plain', '{"description":"CSRF"}'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="description"\r\n\r\nCSRF\r\n--x--'],
    ] as const) {
      const send = (headers: Record<string, string>) =>
        h.anonymous('POST', `/stores/${h.storeKey}/api-keys`, payload, { headers: { cookie: h.cookie, 'content-type': type, ...headers } })
      // As a form sends it: without the header (more in csrf.test.ts).
      expect((await send({ origin: 'https://evil.example' })).statusCode, type).toBe(403)
      // And its body would not be read even with the header: JSON only.
      expect((await send(CSRF)).statusCode, type).toBe(415)
    }
    expect(await h.database.db.select({ n: count() }).from(apiKeys)).toEqual(before)
  })
})

describe('auditing', () => {
  it('records a refused reveal (wrong password)', async () => {
    const k = await h.createKey()
    expect((await h.admin('POST', `/api-keys/${k.id}/reveal`, { password: 'guess' })).statusCode).toBe(403)
    const [row] = await h.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, k.id), eq(auditLog.action, 'api_key.secret_reveal_refused')))
    expect(row).toBeDefined()
  })
})

describe('answers in the error shape', () => {
  it('an id longer than the router allows is 404; a body over 256 KB is 413', async () => {
    const long = await h.v1('GET', `/v1/products/prod_${'a'.repeat(300)}`)
    expect(long.statusCode).toBe(404)
    expect(long.json<ErrorResponse>().error.code).toBe('not_found')
    const huge = await h.v1('POST', '/v1/categories', { name: 'x', description: 'y'.repeat(300_000) })
    expect(huge.statusCode).toBe(413)
    expect(huge.json<ErrorResponse>().error.code).toBe('payload_too_large')
  })

  it('usage of an unknown key is 404', async () => {
    expect((await h.admin('GET', '/usage?apiKeyId=key_unknown')).statusCode).toBe(404)
  })
})

describe('deleting what others refer to', () => {
  it('a deleted category leaves its products without one, each updated and announced', async () => {
    const cat = (await h.v1('POST', '/v1/categories', { name: 'Going away' })).json<Category>()
    const p = (await h.v1('POST', '/v1/products', { name: 'Stays', price: 1, categoryId: cat.id })).json<Product>()
    const since = new Date().toISOString()
    expect((await h.v1('DELETE', `/v1/categories/${cat.id}`)).statusCode).toBe(204)
    const changed = (await h.v1('GET', `/v1/products?updated_since=${encodeURIComponent(since)}`)).json<{ data: Product[] }>().data
    expect(changed.find((x) => x.id === p.id)?.categoryId).toBeNull()
    const announced = await h.database.db
      .select()
      .from(events)
      .where(and(eq(events.storeId, h.storeId), eq(events.type, 'product.updated')))
    expect(announced.some((e) => (e.data as { id: string }).id === p.id)).toBe(true)
  })

  it("a deleted customer's orders stay, without the customer, each announced", async () => {
    const c = (await h.v1('POST', '/v1/customers', { email: 'leaving@example.com', firstName: 'L', lastName: 'E' })).json<Customer>()
    const p = (await h.v1('POST', '/v1/products', { name: 'Thing', price: 5 })).json<Product>()
    const o = (await h.v1('POST', '/v1/orders', { customerId: c.id, lineItems: [{ productId: p.id, quantity: 1 }] })).json<Order>()
    expect((await h.v1('DELETE', `/v1/customers/${c.id}`)).statusCode).toBe(204)
    expect((await h.v1('GET', `/v1/orders/${o.id}`)).json<Order>().customerId).toBeNull()
    const announced = await h.database.db
      .select()
      .from(events)
      .where(and(eq(events.storeId, h.storeId), eq(events.type, 'order.updated')))
    expect(announced.some((e) => (e.data as { id: string }).id === o.id)).toBe(true)
  })
})

describe('logs of failed queries', () => {
  it('keep the database error but not the query parameters', async () => {
    const { serializeError } = await import('../src/lib/logger')
    const failing = Object.assign(new Error('Failed query: insert into "api_keys" values ($1, $2)\nparams: SECRET-HASH,CIPHERTEXT'), {
      query: 'insert into "api_keys" values ($1, $2)',
      params: ['SECRET-HASH', 'CIPHERTEXT'],
      cause: Object.assign(new Error('invalid byte sequence'), { code: '22021' }),
    })
    const logged = JSON.stringify(serializeError(failing))
    expect(logged).not.toContain('SECRET-HASH')
    expect(logged).not.toContain('CIPHERTEXT')
    expect(logged).toContain('22021')
    expect(logged).toContain('insert into')
  })
})
