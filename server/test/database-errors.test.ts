import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { count, eq, sql } from 'drizzle-orm'
import type { Category, Customer, ErrorResponse, Order, Product } from '@deskflow/shared'
import { CONSTRAINT_FIELDS } from '../src/db/constraints'
import { categories, customers, orders, products } from '../src/db/schema'
import { isDatabaseUnavailable, pgErrorOf, refusalOf } from '../src/lib/pg-errors'
import type { AppError } from '../src/lib/errors'
import { useHarness } from './helpers/harness'

const h = useHarness({ LOG_LEVEL: 'silent' })

async function rows(table: typeof products | typeof orders) {
  const [row] = await h.database.db.select({ n: count() }).from(table).where(eq(table.storeId, h.storeId))
  return row!.n
}

function expectField(res: { statusCode: number; body: string }, status: number, field: string) {
  expect(res.statusCode, res.body).toBe(status)
  const { error } = JSON.parse(res.body) as ErrorResponse
  expect(error.details?.map((d) => d.field)).toContain(field)
  expect(error.message).toContain(field)
  expect(error.requestId).toMatch(/^req_/)
}

describe('references the database would refuse', () => {
  it('an empty categoryId or customerId is a 422 naming the field, and stores nothing', async () => {
    const { id } = await h.create<Product>('/v1/products', { name: 'Mug', price: 100, stock: 5 })
    const order = await h.create<Order>('/v1/orders', { lineItems: [{ productId: id, quantity: 1 }] })
    const product = (await h.v1('GET', `/v1/products/${id}`)).json<Product>()
    const [productsBefore, ordersBefore] = [await rows(products), await rows(orders)]

    expectField(await h.v1('POST', '/v1/products', { name: 'Cup', price: 1, categoryId: '' }), 422, 'categoryId')
    expectField(await h.v1('PATCH', `/v1/products/${product.id}`, { categoryId: '' }), 422, 'categoryId')
    expectField(
      await h.v1('POST', '/v1/orders', { customerId: '', lineItems: [{ productId: product.id, quantity: 1 }] }),
      422,
      'customerId',
    )
    expectField(await h.v1('PATCH', `/v1/orders/${order.id}`, { customerId: '' }), 422, 'customerId')

    expect([await rows(products), await rows(orders)]).toEqual([productsBefore, ordersBefore])
    expect((await h.v1('GET', `/v1/products/${product.id}`)).json<Product>()).toEqual(product)
    expect((await h.v1('GET', `/v1/orders/${order.id}`)).json<Order>()).toEqual(order)
  })

  it('a category deleted while a product referring to it is saved: 422 naming categoryId, not 500', async () => {
    const category = await h.create<Category>('/v1/categories', { name: 'Going away' })
    const before = await rows(products)
    // Another session deletes the category and holds the row until it commits: the product's
    // check reads the category as it was, and the insert's foreign key then finds it gone.
    const other = new pg.Client({ connectionString: h.database.url })
    await other.connect()
    try {
      await other.query('begin')
      await other.query('delete from categories where id = $1', [category.id])
      const pending = h.v1('POST', '/v1/products', { name: 'Orphan', price: 1, categoryId: category.id })
      await waitForLockWait(other)
      await other.query('commit')
      expectField(await pending, 422, 'categoryId')
    } finally {
      await other.end()
    }
    expect(await rows(products)).toBe(before)
  })
})

/** Until some other session of this database waits for a lock (the request's foreign-key check). */
async function waitForLockWait(client: pg.Client) {
  for (let i = 0; i < 200; i++) {
    const { rows: waiting } = await client.query(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()",
    )
    if ((waiting[0] as { n: number }).n > 0) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error('the request never waited for the lock')
}

describe('the constraint table', () => {
  it('names a field for every foreign key, unique, primary key, check and exclusion constraint of the schema, and nothing else', async () => {
    const { rows: found } = await h.database.pool.query<{ name: string; kind: string }>(`
      select conname as name, contype::text as kind from pg_constraint
       where connamespace = 'public'::regnamespace and contype in ('f', 'u', 'p', 'c', 'x')
      union
      select c.relname, 'unique index' from pg_index i join pg_class c on c.oid = i.indexrelid
       where i.indisunique and c.relnamespace = 'public'::regnamespace
         and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)`)
    expect(found.length).toBeGreaterThan(30)
    const missing = found.filter((c) => !CONSTRAINT_FIELDS[c.name]).map((c) => `${c.name} (${c.kind})`)
    expect(missing, 'constraints without a field in src/db/constraints.ts').toEqual([])
    const stale = Object.keys(CONSTRAINT_FIELDS).filter((name) => !found.some((c) => c.name === name))
    expect(stale, 'names in src/db/constraints.ts that the schema does not have').toEqual([])
  })
})

describe('every refusal of the database', () => {
  /** The error a real statement raises, through the same driver and ORM as the services. */
  async function refusal(statement: () => Promise<unknown>): Promise<AppError> {
    const err = await statement().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err, 'the statement should have failed').toBeDefined()
    const mapped = refusalOf(err)
    expect(mapped, String(err)).toBeDefined()
    return mapped!
  }
  const db = () => h.database.db

  it('maps unique, foreign key, not-null, check, range, text and date-time errors to 409 or 422 naming the field', async () => {
    const customer = await h.create<Customer>('/v1/customers', { email: 'once@example.com', firstName: 'A', lastName: 'B' })
    const now = new Date().toISOString()
    const base = { storeId: h.storeId, createdAt: now, updatedAt: now }

    const unique = await refusal(() =>
      db()
        .insert(customers)
        .values({ ...base, id: 'cus_dup', email: customer.email, firstName: 'C', lastName: 'D' }),
    )
    expect([unique.statusCode, unique.details?.[0]?.field]).toEqual([409, 'email'])

    const foreign = await refusal(() =>
      db()
        .insert(products)
        .values({ ...base, id: 'prod_fk', name: 'x', price: 1, currency: 'USD', categoryId: 'cat_none' }),
    )
    expect([foreign.statusCode, foreign.details?.[0]?.field]).toEqual([422, 'categoryId'])

    const primary = await refusal(() =>
      db()
        .insert(customers)
        .values({ ...base, id: customer.id, email: 'other@example.com', firstName: 'C', lastName: 'D' }),
    )
    expect([primary.statusCode, primary.details?.[0]?.field]).toEqual([409, 'id'])

    const notNull = await refusal(() =>
      db().execute(sql`insert into categories (id, store_id, name) values ('cat_nn', ${h.storeId}, null)`),
    )
    expect([notNull.statusCode, notNull.details?.[0]?.field]).toEqual([422, 'name'])

    const range = await refusal(() =>
      db()
        .update(products)
        .set({ stock: sql`2147483647 + 1` })
        .where(eq(products.storeId, h.storeId)),
    )
    expect(range.statusCode).toBe(422)

    const text = await refusal(() => db().execute(sql`select 'many'::integer`))
    expect(text.statusCode).toBe(422)

    const date = await refusal(() => db().select().from(categories).where(eq(categories.createdAt, '-271821-04-20T00:00:00.000Z')))
    expect(date.statusCode).toBe(422)

    // Outside the API's schema, so the constraint table test above does not see it.
    await db().execute(sql`create schema scratch`)
    await db().execute(sql`create table scratch.bounded (code varchar(2) check (code <> 'zz'))`)
    const long = await refusal(() => db().execute(sql`insert into scratch.bounded values ('abc')`))
    expect(long.statusCode).toBe(422)
    const check = await refusal(() => db().execute(sql`insert into scratch.bounded values ('zz')`))
    expect(check.statusCode).toBe(422)

    for (const mapped of [unique, foreign, primary, notNull, range, text, date, long, check]) {
      expect(mapped.details?.length, mapped.message).toBe(1)
      expect(mapped.message.startsWith(`${mapped.details![0]!.field}: `), mapped.message).toBe(true)
    }
  })

  it('leaves other errors alone, and tells a lost connection (503) apart, however deeply wrapped', () => {
    const lost = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })
    expect(refusalOf(new Error('boom'))).toBeUndefined()
    expect(refusalOf(lost)).toBeUndefined()
    expect(refusalOf(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBeUndefined()
    expect(refusalOf(undefined)).toBeUndefined()
    expect(isDatabaseUnavailable(new Error('Failed query', { cause: new Error('wrapped', { cause: lost }) }))).toBe(true)
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true)
    // What a statement sent on a connection the server closed during a restart fails with.
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })
    expect(isDatabaseUnavailable(new Error('Failed query', { cause: epipe }))).toBe(true)
    expect(isDatabaseUnavailable(new Error('duplicate key', { cause: Object.assign(new Error('dup'), { code: '23505' }) }))).toBe(false)
    expect(
      pgErrorOf(new Error('Failed query', { cause: Object.assign(new Error('dup'), { code: '23505', constraint: 'x' }) }))?.constraint,
    ).toBe('x')
  })
})
