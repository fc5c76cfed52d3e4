import type { CreateOrderBody, LineItem, Order, OrderStatus, UpdateOrderBody } from '@deskflow/shared'
import type { Db, Tx } from '../../db'
import { customers, orders } from '../../db/schema'
import { AppError } from '../../lib/errors'
import { newSortableId } from '../../lib/ids'
import type { Cursors } from '../../lib/cursor'
import { recordEvent } from '../events/record'
import { completeIdempotent, type IdempotentWrite } from '../idempotency/record'
import { presentOrder, presentProduct } from '../catalog/present'
import { referenceCheck } from '../catalog/reference-check'
import { createResourceReader } from '../catalog/resource-service'
import { checkedTransaction, type Writer } from '../api-keys/write-key-check'
import type { OrdersRepo } from './repo'

/** Totals stay exact in JavaScript numbers and in the API's Money type. */
const MAX_ORDER_TOTAL = 100_000_000_000

const checkCustomer = referenceCheck(customers, 'customerId', 'no such customer in this store')

/**
 * Orders are listed and read like every resource; their writes have rules of their
 * own: prices and stock come from the products, and numbers from the store. Each write's
 * transaction checks the writer's API key again (`api-keys/write-key-check.ts`).
 */
export function createOrdersService(db: Db, cursors: Cursors, repo: OrdersRepo) {
  const {
    repo: rows,
    notFound,
    listChecked,
    getChecked,
  } = createResourceReader(db, cursors, { table: orders, resource: 'orders', present: presentOrder })

  /**
   * Puts the items of a cancelled or deleted order back in stock (tracked products
   * only), up to the stock maximum: a product whose stock was raised meanwhile stops
   * there, and cancelling or deleting never fails because of stock.
   */
  async function restock(tx: Tx, storeId: string, items: LineItem[]) {
    for (const item of items) {
      const row = await repo.putBackStock({ storeId, productId: item.productId, quantity: item.quantity }, tx)
      if (row) await recordEvent(tx, { storeId, type: 'product.updated', data: presentProduct(row) })
    }
  }

  /**
   * Prices come from the products, never from the caller; tracked stock is taken
   * as each line is read (see `takeStock`).
   */
  async function buildLineItems(tx: Tx, storeId: string, body: CreateOrderBody): Promise<LineItem[]> {
    const items: LineItem[] = []
    for (const [i, line] of body.lineItems.entries()) {
      const product = await repo.takeStock({ storeId, productId: line.productId, quantity: line.quantity }, tx)
      if (!product) {
        const existing = await repo.findProduct(storeId, line.productId, tx)
        if (!existing) throw AppError.invalidField(`lineItems.${i}.productId`, 'no such product in this store')
        if (!existing.active) throw AppError.invalidField(`lineItems.${i}.productId`, 'this product is not for sale (inactive)')
        throw new AppError('conflict', `lineItems.${i}.quantity: only ${existing.stock} of "${existing.name}" in stock`, [
          { field: `lineItems.${i}.quantity`, message: `only ${existing.stock} in stock` },
        ])
      }
      if (product.stock !== null) await recordEvent(tx, { storeId, type: 'product.updated', data: presentProduct(product) })
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
    listChecked,
    getChecked,

    async create(writer: Writer, body: CreateOrderBody, idempotent?: IdempotentWrite): Promise<Order> {
      const { storeId } = writer
      return checkedTransaction(db, writer, async (tx) => {
        await checkCustomer(tx, storeId, body.customerId)
        const status = body.status ?? 'pending'
        if (!stocked(status)) throw AppError.invalidField('status', 'a new order cannot start cancelled')
        const lineItems = await buildLineItems(tx, storeId, body)
        // From this update to the commit every other order of the store waits: the
        // order's insert, then its event, deliveries and jobs in one statement.
        const store = await repo.nextOrderNumber(storeId, tx)
        const subtotal = lineItems.reduce((sum, item) => sum + item.total, 0)
        if (subtotal > MAX_ORDER_TOTAL)
          throw AppError.invalidField('lineItems', `the order total would exceed ${MAX_ORDER_TOTAL} (minor units)`)
        const row = await rows.insert(
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
        await recordEvent(tx, { storeId, type: 'order.created', data: order })
        await completeIdempotent(tx, idempotent, order)
        return order
      })
    },

    async update(writer: Writer, id: string, body: UpdateOrderBody, idempotent?: IdempotentWrite): Promise<Order> {
      const { storeId } = writer
      return checkedTransaction(db, writer, async (tx) => {
        const before = await rows.find(storeId, id, tx, true)
        if (!before) throw notFound()
        await checkCustomer(tx, storeId, body.customerId)
        if (body.status && stocked(before.status) !== stocked(body.status)) {
          if (!stocked(before.status)) throw AppError.invalidField('status', 'a cancelled order cannot be reopened')
          await restock(tx, storeId, before.lineItems)
        }
        const row = await rows.update(
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
        await recordEvent(tx, { storeId, type: 'order.updated', data: order })
        await completeIdempotent(tx, idempotent, order)
        return order
      })
    },

    /** Deleting an order that still holds stock puts the stock back. */
    async remove(writer: Writer, id: string): Promise<void> {
      const { storeId } = writer
      await checkedTransaction(db, writer, async (tx) => {
        const row = await rows.remove(storeId, id, tx)
        if (!row) throw notFound()
        if (stocked(row.status)) await restock(tx, storeId, row.lineItems)
        await recordEvent(tx, { storeId, type: 'order.deleted', data: presentOrder(row) })
      })
    },
  }
}

export type OrdersService = ReturnType<typeof createOrdersService>
