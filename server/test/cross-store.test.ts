import { beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import type { Category, Customer, Product, TestDeliveryResult } from '@deskflow/shared'
import { useHarness, TEST_PASSWORD, type Method, type StoreFixture } from './helpers/harness'

/**
 * The cross-store matrix: every admin route that takes an id, called by the admin of
 * another store, through their own store's path and through this store's path.
 * Always 404, nothing about the object in the answer, nothing changed.
 */
const mine = useHarness({ WEBHOOK_TIMEOUT_MS: '200' })
let theirs: StoreFixture
const ids = { key: '', secretKey: '', webhook: '', delivery: '', member: '' }

beforeAll(async () => {
  theirs = await mine.newStore()
  const k = await mine.createKey()
  ids.key = k.id
  ids.secretKey = k.key
  ids.webhook = (await mine.addWebhook('https://hooks.example.com/x')).id
  const test = await mine.admin('POST', `/webhooks/${ids.webhook}/test`)
  ids.delivery = test.json<TestDeliveryResult>().deliveryId
  expect(await mine.deliveries(ids.webhook)).toHaveLength(1)
  const member = await mine.createAdmin()
  expect((await mine.admin('POST', '/members', { email: member.email, role: 'developer' })).statusCode).toBe(201)
  ids.member = member.id
})

async function fingerprint() {
  const { rows } = await mine.database.db.execute(
    sql.raw(
      `select concat_ws('|', (select count(*) from api_keys), (select max(updated_at) from api_keys), (select count(*) from webhooks), (select max(updated_at) from webhooks), (select count(*) from webhook_deliveries), (select max(updated_at) from webhook_deliveries), (select count(*) from audit_log where store_id = '${mine.storeId}'), (select string_agg(admin_id || role, ',' order by admin_id) from store_members where store_id = '${mine.storeId}')) as f`,
    ),
  )
  return (rows[0] as { f: string }).f
}

const ROUTES: Array<[Method, string, object?]> = [
  ['GET', '/api-keys/{key}'],
  ['PATCH', '/api-keys/{key}', { activated: false }],
  ['DELETE', '/api-keys/{key}'],
  ['POST', '/api-keys/{key}/reveal', { password: TEST_PASSWORD }],
  ['POST', '/api-keys/{key}/regenerate-secret', {}],
  ['GET', '/usage?apiKeyId={key}'],
  ['GET', '/webhooks/{webhook}'],
  ['PATCH', '/webhooks/{webhook}', { status: 'paused' }],
  ['DELETE', '/webhooks/{webhook}'],
  ['POST', '/webhooks/{webhook}/test'],
  ['GET', '/webhooks/{webhook}/deliveries'],
  ['POST', '/webhooks/{webhook}/deliveries/{delivery}/redeliver'],
  ['POST', '/webhooks/{webhook}/replay', { since: '2026-01-01T00:00:00Z' }],
  ['POST', '/webhooks/{webhook}/reveal-secret', { password: TEST_PASSWORD }],
  ['POST', '/webhooks/{webhook}/rotate-secret'],
  ['PATCH', '/members/{member}', { role: 'viewer' }],
  ['DELETE', '/members/{member}'],
]

describe('the cross-store matrix', () => {
  it.each(
    ROUTES.flatMap(([method, path, body]) => [
      ['their own store', method, path, body] as const,
      ['this store', method, path, body] as const,
    ]),
  )("another store's admin, via %s: %s %s answers 404 and changes nothing", async (via, method, path, body) => {
    const storeKey = via === 'this store' ? mine.storeKey : theirs.storeKey
    const url = `/stores/${storeKey}${path.replace('{key}', ids.key).replace('{webhook}', ids.webhook).replace('{delivery}', ids.delivery).replace('{member}', ids.member)}`
    const before = await fingerprint()
    const res = await theirs.signedIn(method, url, body)
    expect(res.statusCode, `${method} ${url}`).toBe(404)
    expect(res.json<{ error: { code: string } }>().error.code).toBe('not_found')
    for (const secretish of [ids.secretKey, 'https://hooks.example.com/x', ids.delivery]) expect(res.body).not.toContain(secretish)
    expect(await fingerprint()).toBe(before)
  })
})

const STORE_ROUTES: Array<[Method, string, object?]> = [
  ['GET', '/api-keys'],
  ['POST', '/api-keys', { description: 'planted', permissions: ['read_orders'] }],
  ['GET', '/webhooks'],
  ['POST', '/webhooks', { url: 'https://hooks.example.com/planted', events: ['order.created'] }],
  ['GET', '/usage'],
  ['GET', '/audit-log'],
  ['GET', '/members'],
  ['POST', '/members', { email: 'planted@example.com', role: 'owner' }],
]

describe('the store-level admin routes', () => {
  it.each(STORE_ROUTES)("another store's admin: %s /stores/<this store>%s answers 404 and changes nothing", async (method, path, body) => {
    const before = await fingerprint()
    const res = await theirs.signedIn(method, `/stores/${mine.storeKey}${path}`, body)
    expect(res.statusCode).toBe(404)
    expect(res.json<{ error: { code: string } }>().error.code).toBe('not_found')
    for (const secretish of [ids.secretKey, 'https://hooks.example.com/x']) expect(res.body).not.toContain(secretish)
    expect(await fingerprint()).toBe(before)
  })
})

describe("another store's ids inside integrator request bodies", () => {
  const my = { product: '', customer: '', category: '' }
  let theirProduct: Product

  beforeAll(async () => {
    my.category = (await mine.v1('POST', '/v1/categories', { name: 'Mine' })).json<Category>().id
    my.product = (await mine.v1('POST', '/v1/products', { name: 'Mine', price: 100, stock: 5, categoryId: my.category })).json<Product>().id
    my.customer = (
      await mine.v1('POST', '/v1/customers', { email: 'mine@example.com', firstName: 'Mine', lastName: 'Own' })
    ).json<Customer>().id
    theirProduct = (await theirs.v1('POST', '/v1/products', { name: 'Theirs', price: 100 })).json<Product>()
    expect([my.category, my.product, my.customer, theirProduct.id].every(Boolean)).toBe(true)
  })

  async function storeRows() {
    const { rows } = await mine.database.db.execute(
      sql.raw(
        `select concat_ws('|', (select count(*) from orders), (select count(*) from products), (select string_agg(coalesce(category_id, '-') || ':' || coalesce(stock::text, '-'), ',' order by id) from products), (select count(*) from events)) as f`,
      ),
    )
    return (rows[0] as { f: string }).f
  }

  it.each([
    [
      "an order for this store's product",
      'POST',
      '/v1/orders',
      () => ({ lineItems: [{ productId: my.product, quantity: 1 }] }),
      'lineItems.0.productId',
    ],
    [
      "an order for this store's customer",
      'POST',
      '/v1/orders',
      () => ({ customerId: my.customer, lineItems: [{ productId: theirProduct.id, quantity: 1 }] }),
      'customerId',
    ],
    [
      "a product in this store's category",
      'POST',
      '/v1/products',
      () => ({ name: 'Planted', price: 1, categoryId: my.category }),
      'categoryId',
    ],
    ["moving a product into this store's category", 'PATCH', '/v1/products/{theirs}', () => ({ categoryId: my.category }), 'categoryId'],
  ] as const)('%s: 422 naming the field, nothing stored, nothing of this store in the answer', async (_what, method, path, body, field) => {
    const before = await storeRows()
    const res = await theirs.v1(method, path.replace('{theirs}', theirProduct.id), body())
    expect(res.statusCode, res.body).toBe(422)
    expect(res.json<{ error: { details: Array<{ field: string }> } }>().error.details.map((d) => d.field)).toContain(field)
    for (const id of Object.values(my)) expect(res.body).not.toContain(id)
    expect(await storeRows()).toBe(before)
  })
})
