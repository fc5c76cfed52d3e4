/**
 * An integrator's first script, as one would write it against Deskflow: every request and
 * answer typed from the server's own `/openapi.json` (`pnpm generate` writes
 * `src/generated/deskflow.d.ts` with openapi-typescript), calls made with openapi-fetch.
 * It pages through the products, creates a customer and an order, and handles a refusal
 * (403) and bad input (422) by their documented error shape.
 *
 *   DESKFLOW_URL=http://127.0.0.1:3000 DESKFLOW_KEY=dfk_… DESKFLOW_SECRET=dfs_… node dist/sync.js
 *
 * The key needs read_products, write_customers and write_orders, and not read_categories
 * (the 403 below is asked for on purpose).
 */
import assert from 'node:assert/strict'
import createClient from 'openapi-fetch'
import type { components, paths } from './generated/deskflow'

type Product = components['schemas']['Product']
type Customer = components['schemas']['Customer']
type Order = components['schemas']['Order']
type ApiError = components['schemas']['ErrorResponse']['error']

const { DESKFLOW_URL = 'http://127.0.0.1:3000', DESKFLOW_KEY, DESKFLOW_SECRET } = process.env
if (!DESKFLOW_KEY || !DESKFLOW_SECRET) throw new Error('Set DESKFLOW_KEY and DESKFLOW_SECRET')

const deskflow = createClient<paths>({
  baseUrl: DESKFLOW_URL,
  headers: { authorization: `Basic ${Buffer.from(`${DESKFLOW_KEY}:${DESKFLOW_SECRET}`).toString('base64')}` },
})

/** Every product, two a page, following `nextCursor`. */
async function allProducts(): Promise<Product[]> {
  const products: Product[] = []
  let cursor: string | undefined
  let pages = 0
  do {
    const { data, error } = await deskflow.GET('/v1/products', { params: { query: { limit: 2, cursor } } })
    if (error) throw new Error(`listing products: ${error.error.code}: ${error.error.message}`)
    products.push(...data.data)
    cursor = data.nextCursor ?? undefined
    pages++
  } while (cursor)
  console.log(`products: ${products.length} in ${pages} pages`)
  return products
}

async function createCustomer(email: string): Promise<Customer> {
  const { data, error, response } = await deskflow.POST('/v1/customers', { body: { email, firstName: 'Grace', lastName: 'Hopper' } })
  if (error) throw new Error(`creating a customer: ${error.error.code}: ${error.error.message}`)
  assert.equal(response.status, 201)
  console.log(`customer: ${data.id} (${data.email})`)
  return data
}

async function createOrder(customer: Customer, product: Product): Promise<Order> {
  const { data, error } = await deskflow.POST('/v1/orders', {
    body: { customerId: customer.id, lineItems: [{ productId: product.id, quantity: 1 }], note: 'placed by the typed client' },
  })
  if (error) throw new Error(`creating an order: ${error.error.code}: ${error.error.message}`)
  console.log(`order: #${data.number} ${data.total} ${data.currency}, ${data.lineItems.length} line`)
  return data
}

/** A list the key may not read: a 403 whose message names the permission. */
async function forbidden(): Promise<ApiError> {
  const { data, error, response } = await deskflow.GET('/v1/categories')
  assert.equal(data, undefined)
  assert.ok(error, 'expected a refusal')
  assert.equal(response.status, 403)
  assert.equal(error.error.code, 'forbidden')
  assert.match(error.error.message, /read_categories/)
  console.log(`403: ${error.error.message}`)
  return error.error
}

/** Bad input: a 422 whose details name the field. */
async function invalid(): Promise<ApiError> {
  const { error, response } = await deskflow.POST('/v1/customers', { body: { email: 'not an email', firstName: 'A', lastName: 'B' } })
  assert.ok(error, 'expected the input to be refused')
  assert.equal(response.status, 422)
  assert.deepEqual(
    error.error.details?.map((d) => d.field),
    ['email'],
  )
  console.log(`422: ${error.error.message}`)
  return error.error
}

const products = await allProducts()
const product = products.find((p) => p.active && (p.stock === null || p.stock > 0))
if (!product) throw new Error('no product for sale to order')
const customer = await createCustomer(`typed-client-${Date.now()}@example.com`)
const order = await createOrder(customer, product)
assert.equal(order.customerId, customer.id)
assert.equal(order.total, product.price)
await forbidden()
await invalid()
console.log('the typed client did everything it set out to')
