import { STOCK_MAX, type CreateOrderBody, type LineItem, type ListQuery, type Order, type OrderStatus, type UpdateOrderBody } from '@deskflow/shared'
import { and, eq, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db'
import { customers, orders, products, stores } from '../../db/schema'
import { AppError } from '../../lib/errors'
import { newSortableId } from '../../lib/ids'
import type { Cursors } from '../../lib/cursor'
import { parseSince, toPage } from '../../lib/pagination'
import { recordEvent } from '../events/repo'
import { subscribersOf } from '../webhooks/repo'
import { presentProduct } from '../catalog/service'
import { presentOrder } from './present'
import { createScopedRepo } from '../catalog/scoped-repo'

/** Totals stay exact in JavaScript numbers and in the API's Money type. */
const MAX_ORDER_TOTAL = 100_000_000_000

/** A customer id must name a customer of the same store (`null` or absent: none). */
async function checkCustomer(tx: Tx, storeId: string, customerId: string | null | undefined) {
  if (customerId === null || customerId === undefined) return
  const [row] = await tx.select({ id: customers.id }).from(customers).where(and(eq(customers.storeId, storeId), eq(customers.id, customerId)))
  if (!row) throw AppError.invalidField('customerId', 'no such customer in this store')
}

/**
 * Puts the items of a cancelled or deleted order back in stock (tracked products
 * only), up to the stock maximum: a product whose stock was raised meanwhile stops
 * there, and cancelling or deleting never fails because of stock. Summed as bigint,
 * so a value near the column's limit cannot overflow on the way.
 */
async function restock(tx: Tx, storeId: string, items: LineItem[]) {
  for (const item of items) {
    const [row] = await tx
      .update(products)
      .set({ stock: sql`least(${products.stock}::bigint + ${item.quantity}, ${STOCK_MAX})`, updatedAt: new Date() })
      .where(and(eq(products.storeId, storeId), eq(products.id, item.productId), sql`${products.stock} is not null`))
      .returning()
    if (row) await recordEvent(tx, storeId, 'product.updated', presentProduct(row))
  }
}

export function createOrdersService(db: Db, cursors: Cursors) {
  const repo = createScopedRepo(db, orders)
  const notFound = () => AppError.notFound('Order')

  /**
   * Prices come from the products, never from the caller. Tracked stock is taken
   * with a conditional UPDATE, so two concurrent orders cannot both take the last unit.
   */
  async function buildLineItems(tx: Tx, storeId: string, body: CreateOrderBody): Promise<LineItem[]> {
    const items: LineItem[] = []
    for (const [i, line] of body.lineItems.entries()) {
      const [product] = await tx
        .update(products)
        .set({ stock: sql`case when ${products.stock} is null then null else ${products.stock} - ${line.quantity} end`, updatedAt: new Date() })
        .where(
          and(
            eq(products.storeId, storeId),
            eq(products.id, line.productId),
            eq(products.active, true),
            sql`(${products.stock} is null or ${products.stock} >= ${line.quantity})`,
          ),
        )
        .returning()
      if (!product) {
        const [existing] = await tx.select().from(products).where(and(eq(products.storeId, storeId), eq(products.id, line.productId)))
        if (!existing) throw AppError.invalidField(`lineItems.${i}.productId`, 'no such product in this store')
        if (!existing.active) throw AppError.invalidField(`lineItems.${i}.productId`, 'this product is not for sale (inactive)')
        throw new AppError('conflict', `lineItems.${i}.quantity: only ${existing.stock} of "${existing.name}" in stock`, [
          { field: `lineItems.${i}.quantity`, message: `only ${existing.stock} in stock` },
        ])
      }
      if (product.stock !== null) await recordEvent(tx, storeId, 'product.updated', presentProduct(product))
      items.push({
        productId: product.id,
        name: product.name,
        sku: product.sku,
        quantity: line.quantity,
        unitPrice: product.price,
        total: product.price * line.quantity,
      })
    }
    return items
  }

  const stocked = (status: OrderStatus) => status !== 'cancelled'

  return {
    async list(storeId: string, query: ListQuery) {
      const limit = query.limit ?? 20
      const list = `ord:${storeId}`
      const rows = await repo.list(storeId, {
        limit: limit + 1,
        afterId: query.cursor ? cursors.decode(list, query.cursor) : undefined,
        updatedSince: query.updated_since ? parseSince('updated_since', query.updated_since) : undefined,
      })
      return toPage(rows, limit, presentOrder, (id) => cursors.encode(list, id))
    },

    async get(storeId: string, id: string): Promise<Order> {
      const row = await repo.find(storeId, id)
      if (!row) throw notFound()
      return presentOrder(row)
    },

    async create(storeId: string, body: CreateOrderBody): Promise<Order> {
      return db.transaction(async (tx) => {
        await checkCustomer(tx, storeId, body.customerId)
        const status = body.status ?? 'pending'
        if (!stocked(status)) throw AppError.invalidField('status', 'a new order cannot start cancelled')
        const lineItems = await buildLineItems(tx, storeId, body)
        // Read before the store row is locked for the order number: from that update to
        // the commit, every other order of the store waits, so that stretch stays short.
        const subscribers = await subscribersOf(tx, storeId, 'order.created')
        const [store] = await tx
          .update(stores)
          .set({ orderSeq: sql`${stores.orderSeq} + 1` })
          .where(eq(stores.id, storeId))
          .returning({ number: stores.orderSeq, currency: stores.currency })
        const subtotal = lineItems.reduce((sum, item) => sum + item.total, 0)
        if (subtotal > MAX_ORDER_TOTAL) throw AppError.invalidField('lineItems', `the order total would exceed ${MAX_ORDER_TOTAL} (minor units)`)
        const row = await repo.insert(
          {
            id: newSortableId('ord'),
            storeId,
            number: store!.number,
            customerId: body.customerId ?? null,
            status,
            currency: store!.currency,
            lineItems,
            subtotal,
            total: subtotal,
            note: body.note ?? null,
          },
          tx,
        )
        const order = presentOrder(row)
        await recordEvent(tx, storeId, 'order.created', order, subscribers)
        return order
      })
    },

    async update(storeId: string, id: string, body: UpdateOrderBody): Promise<Order> {
      return db.transaction(async (tx) => {
        const before = await repo.find(storeId, id, tx, true)
        if (!before) throw notFound()
        await checkCustomer(tx, storeId, body.customerId)
        if (body.status && stocked(before.status) !== stocked(body.status)) {
          if (!stocked(before.status)) throw AppError.invalidField('status', 'a cancelled order cannot be reopened')
          await restock(tx, storeId, before.lineItems)
        }
        const row = await repo.update(
          storeId,
          id,
          {
            ...(body.status !== undefined && { status: body.status }),
            ...(body.note !== undefined && { note: body.note }),
            ...(body.customerId !== undefined && { customerId: body.customerId }),
          },
          tx,
        )
        const order = presentOrder(row!)
        await recordEvent(tx, storeId, 'order.updated', order)
        return order
      })
    },

    /** Deleting an order that still holds stock puts the stock back. */
    async remove(storeId: string, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        const row = await repo.remove(storeId, id, tx)
        if (!row) throw notFound()
        if (stocked(row.status)) await restock(tx, storeId, row.lineItems)
        await recordEvent(tx, storeId, 'order.deleted', presentOrder(row))
      })
    },
  }
}

export type OrdersService = ReturnType<typeof createOrdersService>
