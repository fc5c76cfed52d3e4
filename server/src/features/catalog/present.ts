import type { Category, Customer, Order, Product } from '@deskflow/shared'
import type { CategoryRow, CustomerRow, OrderRow, ProductRow } from '../../db/schema'

// Each integrator resource as the API and its webhook payloads show it.

export function presentCategory(row: CategoryRow): Category {
  return { id: row.id, name: row.name, description: row.description, createdAt: row.createdAt, updatedAt: row.updatedAt }
}

export function presentProduct(row: ProductRow): Product {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    sku: row.sku,
    price: row.price,
    currency: row.currency,
    stock: row.stock,
    categoryId: row.categoryId,
    active: row.active,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

export function presentCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    phone: row.phone,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

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
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}
