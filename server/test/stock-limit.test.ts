import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { STOCK_MAX, type Order, type Product } from '@deskflow/shared'
import { products } from '../src/db/schema'
import { useHarness } from './helpers/harness'

/** Stock never exceeds its documented maximum, and putting stock back never fails. */
const h = useHarness({ LOG_LEVEL: 'silent' })

const stockOf = async (id: string) => (await h.v1('GET', `/v1/products/${id}`)).json<Product>().stock

/** A product at `stock` with an open order of `quantity` taken from it before the stock was set. */
async function orderThenRestockTo(stock: number, quantity: number, setStock: (id: string) => Promise<void>) {
  const product = await h.create<Product>('/v1/products', { name: 'Bulk', price: 1, stock: STOCK_MAX })
  const order = await h.create<Order>('/v1/orders', {
    lineItems: [
      { productId: product.id, quantity },
      { productId: product.id, quantity },
    ],
  })
  expect(await stockOf(product.id)).toBe(STOCK_MAX - 2 * quantity)
  await setStock(product.id)
  return { product, order }
}

const viaApi = (stock: number) => async (id: string) => {
  expect((await h.v1('PATCH', `/v1/products/${id}`, { stock })).statusCode).toBe(200)
}
// Rows written before the maximum was enforced, up to the column's own limit.
const viaDatabase = (stock: number) => async (id: string) => {
  await h.database.db.update(products).set({ stock }).where(eq(products.id, id))
}

describe('the stock maximum', () => {
  it('is documented and enforced on input', async () => {
    expect(STOCK_MAX).toBe(1_000_000_000)
    expect((await h.v1('POST', '/v1/products', { name: 'Too many', price: 1, stock: STOCK_MAX + 1 })).statusCode).toBe(422)
  })

  it('cancelling an order puts stock back up to the maximum, not past it', async () => {
    const { product, order } = await orderThenRestockTo(STOCK_MAX, 10_000, viaApi(STOCK_MAX - 5))
    const res = await h.v1('PATCH', `/v1/orders/${order.id}`, { status: 'cancelled' })
    expect(res.statusCode, res.body).toBe(200)
    expect(await stockOf(product.id)).toBe(STOCK_MAX)
  })

  it('deleting an open order puts stock back up to the maximum, not past it', async () => {
    const { product, order } = await orderThenRestockTo(STOCK_MAX, 10_000, viaApi(STOCK_MAX))
    expect((await h.v1('DELETE', `/v1/orders/${order.id}`)).statusCode).toBe(204)
    expect(await stockOf(product.id)).toBe(STOCK_MAX)
  })

  it('below the maximum, every unit comes back', async () => {
    const { product, order } = await orderThenRestockTo(STOCK_MAX, 7, viaApi(100))
    expect((await h.v1('PATCH', `/v1/orders/${order.id}`, { status: 'cancelled' })).statusCode).toBe(200)
    expect(await stockOf(product.id)).toBe(114)
  })

  it.each([
    ['cancel', 'PATCH'],
    ['delete', 'DELETE'],
  ] as const)('%s near the column limit (2^31 - 1) answers, never 500, and ends at the maximum', async (_name, method) => {
    const { product, order } = await orderThenRestockTo(STOCK_MAX, 10_000, viaDatabase(2 ** 31 - 1 - 5))
    const res = await h.v1(method, `/v1/orders/${order.id}`, method === 'PATCH' ? { status: 'cancelled' } : undefined)
    expect(res.statusCode, res.body).toBe(method === 'PATCH' ? 200 : 204)
    expect(await stockOf(product.id)).toBe(STOCK_MAX)
  })
})
