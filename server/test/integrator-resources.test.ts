import { describe, expect, it } from 'vitest'
import { and, count, eq } from 'drizzle-orm'
import type { Customer, ErrorResponse, Order, Product } from '@deskflow/shared'
import type { products } from '../src/db/schema'
import { customers, events, orders } from '../src/db/schema'
import { useHarness } from './helpers/harness'

const h = useHarness()

async function eventsFor(id: string) {
  const rows = await h.database.db.select().from(events).where(eq(events.storeId, h.storeId))
  return rows.filter((e) => (e.data as { id?: string }).id === id).map((e) => e.type)
}

async function countRows(table: typeof customers | typeof products | typeof orders) {
  const [row] = await h.database.db.select({ n: count() }).from(table).where(eq(table.storeId, h.storeId))
  return row!.n
}

describe('customers', () => {
  it('create, get, update, delete, each recording its event', async () => {
    const c = await h.create<Customer>('/v1/customers', { email: 'Ada@Example.com', firstName: ' Ada ', lastName: 'Lovelace' })
    expect(c).toMatchObject({ email: 'ada@example.com', firstName: 'Ada', phone: null })
    expect(c.id).toMatch(/^cus_/)
    expect((await h.v1('GET', `/v1/customers/${c.id}`)).json()).toEqual(c)
    const updated = (await h.v1('PATCH', `/v1/customers/${c.id}`, { phone: '+44 20 7946 0000' })).json<Customer>()
    expect(updated.phone).toBe('+44 20 7946 0000')
    expect(new Date(updated.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(c.updatedAt).getTime())
    expect((await h.v1('DELETE', `/v1/customers/${c.id}`)).statusCode).toBe(204)
    expect((await h.v1('GET', `/v1/customers/${c.id}`)).statusCode).toBe(404)
    expect(await eventsFor(c.id)).toEqual(['customer.created', 'customer.updated', 'customer.deleted'])
  })

  it('a duplicate email is a 409 naming the field, and adds nothing', async () => {
    await h.create('/v1/customers', { email: 'dup@example.com', firstName: 'A', lastName: 'B' })
    const before = await countRows(customers)
    const res = await h.v1('POST', '/v1/customers', { email: 'DUP@example.com', firstName: 'C', lastName: 'D' })
    expect(res.statusCode).toBe(409)
    expect(res.json<ErrorResponse>().error.details?.[0]?.field).toBe('email')
    expect(await countRows(customers)).toBe(before)
  })
})

describe('validation', () => {
  const cases: Array<[string, string, object, string]> = [
    ['customer without email', '/v1/customers', { firstName: 'A', lastName: 'B' }, 'email'],
    ['customer with a bad email', '/v1/customers', { email: 'nope', firstName: 'A', lastName: 'B' }, 'email'],
    ['customer with a blank first name', '/v1/customers', { email: 'x@example.com', firstName: '  ', lastName: 'B' }, 'firstName'],
    ['product with a negative price', '/v1/products', { name: 'X', price: -1 }, 'price'],
    ['product with a price as text', '/v1/products', { name: 'X', price: '10' }, 'price'],
    ['product with a fractional price', '/v1/products', { name: 'X', price: 9.99 }, 'price'],
    ['product in an unknown category', '/v1/products', { name: 'X', price: 1, categoryId: 'cat_000000000000000000000' }, 'categoryId'],
    ['product with an unknown field', '/v1/products', { name: 'X', price: 1, colour: 'red' }, 'colour'],
    ['category without a name', '/v1/categories', { description: 'x' }, 'name'],
    ['order without line items', '/v1/orders', { lineItems: [] }, 'lineItems'],
    ['order with quantity zero', '/v1/orders', { lineItems: [{ productId: 'prod_x', quantity: 0 }] }, 'lineItems.0.quantity'],
    [
      'order of an unknown product',
      '/v1/orders',
      { lineItems: [{ productId: 'prod_000000000000000000000', quantity: 1 }] },
      'lineItems.0.productId',
    ],
    [
      'order for an unknown customer',
      '/v1/orders',
      { customerId: 'cus_000000000000000000000', lineItems: [{ productId: 'prod_x', quantity: 1 }] },
      'customerId',
    ],
    ['order that sets its own total', '/v1/orders', { total: 1, lineItems: [{ productId: 'prod_x', quantity: 1 }] }, 'total'],
  ]
  it.each(cases)('%s: 422 naming %s, nothing stored, no event', async (_name, url, payload, field) => {
    const [eventsBefore] = await h.database.db.select({ n: count() }).from(events)
    const res = await h.v1('POST', url, payload)
    expect(res.statusCode, res.body).toBe(422)
    const error = res.json<ErrorResponse>().error
    expect(error.code).toBe('validation_failed')
    expect(error.details?.map((d) => d.field)).toContain(field)
    const [eventsAfter] = await h.database.db.select({ n: count() }).from(events)
    expect(eventsAfter!.n).toBe(eventsBefore!.n)
  })

  it('rejects bad list parameters by name', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['updated_since=yesterday', 'updated_since'],
      ['cursor=bogus', 'cursor'],
    ]) {
      const res = await h.v1('GET', `/v1/products?${query}`)
      expect(res.statusCode, query).toBe(422)
      expect(res.json<ErrorResponse>().error.details?.map((d) => d.field)).toContain(field)
    }
  })

  it('an empty PATCH is refused and changes nothing', async () => {
    const p = await h.create<Product>('/v1/products', { name: 'Unchanged', price: 100 })
    expect((await h.v1('PATCH', `/v1/products/${p.id}`, {})).statusCode).toBe(422)
    expect((await h.v1('GET', `/v1/products/${p.id}`)).json()).toEqual(p)
  })
})

describe('pagination', () => {
  it('walks every object once, in creation order, across inserts and deletes during the walk', async () => {
    const cat = await h.create<{ id: string }>('/v1/categories', { name: 'Paged' })
    const made: string[] = []
    for (let i = 0; i < 7; i++)
      made.push((await h.create<Product>('/v1/products', { name: `Paged ${i}`, price: i, categoryId: cat.id })).id)
    const mine = new Set(made)
    const seen: string[] = []
    let cursor: string | null = null
    let page = 0
    do {
      const res = await h.v1('GET', `/v1/products?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      expect(res.statusCode).toBe(200)
      const body = res.json<{ data: Product[]; nextCursor: string | null }>()
      expect(body.data.length).toBeLessThanOrEqual(3)
      seen.push(...body.data.map((p) => p.id).filter((id) => mine.has(id)))
      cursor = body.nextCursor
      page++
      if (page === 1) {
        // Changes while a client is paging: a new object appears at the end, a deleted one is skipped.
        made.push((await h.create<Product>('/v1/products', { name: 'Added mid-walk', price: 1 })).id)
        mine.add(made.at(-1)!)
        expect((await h.v1('DELETE', `/v1/products/${made[5]}`)).statusCode).toBe(204)
        mine.delete(made[5]!)
      }
    } while (cursor)
    expect(seen).toEqual(made.filter((id) => mine.has(id)))
    expect(new Set(seen).size).toBe(seen.length)
  })

  it('updated_since returns only what changed since then', async () => {
    const a = await h.create<Product>('/v1/products', { name: 'Old', price: 1 })
    await new Promise((r) => setTimeout(r, 20))
    const since = new Date().toISOString()
    await new Promise((r) => setTimeout(r, 20))
    const b = await h.create<Product>('/v1/products', { name: 'New', price: 1 })
    await h.v1('PATCH', `/v1/products/${a.id}`, { price: 2 })
    const res = await h.v1('GET', `/v1/products?limit=100&updated_since=${encodeURIComponent(since)}`)
    const ids = res.json<{ data: Product[] }>().data.map((p) => p.id)
    expect(ids).toContain(a.id)
    expect(ids).toContain(b.id)
    expect(ids.every((id) => id === a.id || id === b.id)).toBe(true)
  })
})

describe('orders', () => {
  it('computes line items and totals from the products, snapshotting name and price', async () => {
    const mug = await h.create<Product>('/v1/products', { name: 'Mug', sku: 'MUG-1', price: 1250, stock: 10 })
    const tea = await h.create<Product>('/v1/products', { name: 'Tea', price: 399 })
    const cus = await h.create<Customer>('/v1/customers', { email: 'buyer@example.com', firstName: 'B', lastName: 'Uyer' })
    const order = await h.create<Order>('/v1/orders', {
      customerId: cus.id,
      lineItems: [
        { productId: mug.id, quantity: 2 },
        { productId: tea.id, quantity: 3 },
      ],
    })
    expect(order).toMatchObject({ status: 'pending', currency: 'USD', subtotal: 3697, total: 3697, customerId: cus.id })
    expect(order.lineItems).toEqual([
      { productId: mug.id, name: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: 1250, total: 2500 },
      { productId: tea.id, name: 'Tea', sku: null, quantity: 3, unitPrice: 399, total: 1197 },
    ])
    expect((await h.v1('GET', `/v1/products/${mug.id}`)).json<Product>().stock).toBe(8)
    await h.v1('PATCH', `/v1/products/${mug.id}`, { price: 9999, name: 'Renamed' })
    expect((await h.v1('GET', `/v1/orders/${order.id}`)).json<Order>().lineItems[0]).toMatchObject({ name: 'Mug', unitPrice: 1250 })
    expect(await eventsFor(order.id)).toEqual(['order.created'])
  })

  it('cancelling puts tracked stock back; a cancelled order cannot be reopened', async () => {
    const p = await h.create<Product>('/v1/products', { name: 'Limited', price: 100, stock: 3 })
    const order = await h.create<Order>('/v1/orders', { lineItems: [{ productId: p.id, quantity: 2 }] })
    expect((await h.v1('GET', `/v1/products/${p.id}`)).json<Product>().stock).toBe(1)
    expect((await h.v1('PATCH', `/v1/orders/${order.id}`, { status: 'cancelled' })).statusCode).toBe(200)
    expect((await h.v1('GET', `/v1/products/${p.id}`)).json<Product>().stock).toBe(3)
    const reopen = await h.v1('PATCH', `/v1/orders/${order.id}`, { status: 'paid' })
    expect(reopen.statusCode).toBe(422)
    expect(reopen.json<ErrorResponse>().error.details?.[0]?.field).toBe('status')
  })

  it('two concurrent orders for the last unit: one succeeds, the other gets 409 and changes nothing', async () => {
    const p = await h.create<Product>('/v1/products', { name: 'Last one', price: 100, stock: 1 })
    const ordersBefore = await countRows(orders)
    const results = await Promise.all([
      h.v1('POST', '/v1/orders', { lineItems: [{ productId: p.id, quantity: 1 }] }),
      h.v1('POST', '/v1/orders', { lineItems: [{ productId: p.id, quantity: 1 }] }),
    ])
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409])
    const refused = results.find((r) => r.statusCode === 409)!
    expect(refused.json<ErrorResponse>().error.details?.[0]?.field).toBe('lineItems.0.quantity')
    expect((await h.v1('GET', `/v1/products/${p.id}`)).json<Product>().stock).toBe(0)
    expect(await countRows(orders)).toBe(ordersBefore + 1)
  })

  it('concurrent orders get distinct, sequential numbers', async () => {
    const p = await h.create<Product>('/v1/products', { name: 'Plenty', price: 5 })
    const results = await Promise.all(
      Array.from({ length: 6 }, () => h.v1('POST', '/v1/orders', { lineItems: [{ productId: p.id, quantity: 1 }] })),
    )
    const numbers = results.map((r) => r.json<Order>().number).sort((a, b) => a - b)
    expect(new Set(numbers).size).toBe(6)
    expect(numbers.at(-1)! - numbers[0]!).toBe(5)
  })

  it('deleting an open order restocks and records order.deleted with the order', async () => {
    const p = await h.create<Product>('/v1/products', { name: 'Restock', price: 100, stock: 5 })
    const order = await h.create<Order>('/v1/orders', { lineItems: [{ productId: p.id, quantity: 5 }] })
    expect((await h.v1('DELETE', `/v1/orders/${order.id}`)).statusCode).toBe(204)
    expect((await h.v1('GET', `/v1/products/${p.id}`)).json<Product>().stock).toBe(5)
    const [deleted] = await h.database.db
      .select()
      .from(events)
      .where(and(eq(events.storeId, h.storeId), eq(events.type, 'order.deleted')))
    expect(deleted!.data).toMatchObject({ id: order.id, total: 500 })
  })
})

describe('events', () => {
  it('have the shape { id, type, timestamp, data } and commit with the change', async () => {
    const c = await h.create<Customer>('/v1/customers', { email: 'evt@example.com', firstName: 'E', lastName: 'V' })
    const [row] = await h.database.db
      .select()
      .from(events)
      .where(and(eq(events.storeId, h.storeId), eq(events.type, 'customer.created')))
    expect(row!.id).toMatch(/^evt_/)
    const all = await h.database.db.select().from(events).where(eq(events.type, 'customer.created'))
    expect(all.map((e) => e.data)).toContainEqual(c)
  })
})
