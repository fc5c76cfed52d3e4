import type {
  CreateCategoryBody,
  CreateCustomerBody,
  CreateProductBody,
  EventType,
  UpdateCategoryBody,
  UpdateCustomerBody,
  UpdateProductBody,
} from '@deskflow/shared'
import type { Db, Tx } from '../../db'
import { categories, customers, products } from '../../db/schema'
import { recordEvent } from '../events/record'
import type { Cursors } from '../../lib/cursor'
import { AppError } from '../../lib/errors'
import type { CatalogRepo } from './repo'
import { presentCategory, presentCustomer, presentOrder, presentProduct } from './present'
import { referenceCheck } from './reference-check'
import { createResourceService } from './resource-service'

function trimmed(field: string, value: string): string {
  const text = value.trim()
  if (!text) throw AppError.invalidField(field, 'must not be blank')
  return text
}

const checkCategory = referenceCheck(categories, 'categoryId', 'no such category in this store')

/** Rows that referred to a deleted one lose the reference: each is an update integrators must see. */
function detachOnRemove<R>(detach: (storeId: string, id: string, tx: Tx) => Promise<R[]>, type: EventType, present: (row: R) => object) {
  return async (tx: Tx, storeId: string, id: string) => {
    for (const row of await detach(storeId, id, tx)) await recordEvent(tx, { storeId, type, data: present(row) })
  }
}

export function createCatalogServices(db: Db, cursors: Cursors, repo: CatalogRepo) {
  const storeCurrency = async (tx: Tx, storeId: string) => (await repo.storeCurrency(storeId, tx)) ?? 'USD'

  const categoryService = createResourceService(db, cursors, {
    table: categories,
    resource: 'categories',
    present: presentCategory,
    // Its products stay, without a category.
    beforeRemove: detachOnRemove(repo.detachProducts, 'product.updated', presentProduct),
    async prepareCreate(_tx, _storeId, body: CreateCategoryBody) {
      return { name: trimmed('name', body.name), description: body.description ?? null }
    },
    async prepareUpdate(_tx, _storeId, body: UpdateCategoryBody) {
      return {
        ...(body.name !== undefined && { name: trimmed('name', body.name) }),
        ...(body.description !== undefined && { description: body.description }),
      }
    },
  })

  const productService = createResourceService(db, cursors, {
    table: products,
    resource: 'products',
    present: presentProduct,
    async prepareCreate(tx, storeId, body: CreateProductBody) {
      await checkCategory(tx, storeId, body.categoryId)
      return {
        name: trimmed('name', body.name),
        description: body.description ?? null,
        sku: body.sku ?? null,
        price: body.price,
        currency: await storeCurrency(tx, storeId),
        stock: body.stock ?? null,
        categoryId: body.categoryId ?? null,
        active: body.active ?? true,
      }
    },
    async prepareUpdate(tx, storeId, body: UpdateProductBody) {
      await checkCategory(tx, storeId, body.categoryId)
      return {
        ...(body.name !== undefined && { name: trimmed('name', body.name) }),
        ...(body.description !== undefined && { description: body.description }),
        ...(body.sku !== undefined && { sku: body.sku }),
        ...(body.price !== undefined && { price: body.price }),
        ...(body.stock !== undefined && { stock: body.stock }),
        ...(body.categoryId !== undefined && { categoryId: body.categoryId }),
        ...(body.active !== undefined && { active: body.active }),
      }
    },
  })

  const customerService = createResourceService(db, cursors, {
    table: customers,
    resource: 'customers',
    present: presentCustomer,
    // Their orders stay, without a customer.
    beforeRemove: detachOnRemove(repo.detachOrders, 'order.updated', presentOrder),
    async prepareCreate(_tx, _storeId, body: CreateCustomerBody) {
      return {
        email: body.email.trim().toLowerCase(),
        firstName: trimmed('firstName', body.firstName),
        lastName: trimmed('lastName', body.lastName),
        phone: body.phone ?? null,
      }
    },
    async prepareUpdate(_tx, _storeId, body: UpdateCustomerBody) {
      return {
        ...(body.email !== undefined && { email: body.email.trim().toLowerCase() }),
        ...(body.firstName !== undefined && { firstName: trimmed('firstName', body.firstName) }),
        ...(body.lastName !== undefined && { lastName: trimmed('lastName', body.lastName) }),
        ...(body.phone !== undefined && { phone: body.phone }),
      }
    },
  })

  return { categories: categoryService, products: productService, customers: customerService }
}
