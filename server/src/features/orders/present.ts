import type { Order } from '@deskflow/shared'
import type { OrderRow } from '../../db/schema'

export function presentOrder(row: OrderRow): Order {
  return {
    id: row.id,
    number: row.number,
    customerId: row.customerId,
    status: row.status,
    currency: row.currency,
    lineItems: row.lineItems,
    subtotal: row.subtotal,
    total: row.total,
    note: row.note,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

