import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../db'
import { orders, products, stores, type OrderRow, type ProductRow } from '../../db/schema'

/** The catalog's queries beyond the store-scoped CRUD of each resource (`scoped-repo.ts`). */
export function createCatalogRepo(db: Tx) {
  return {
    async storeCurrency(storeId: string, tx: Tx = db): Promise<string | undefined> {
      const [row] = await tx.select({ currency: stores.currency }).from(stores).where(eq(stores.id, storeId))
      return row?.currency
    },

    /** The category's products, left without a category. */
    async detachProducts(storeId: string, categoryId: string, tx: Tx = db): Promise<ProductRow[]> {
      return tx
        .update(products)
        .set({ categoryId: null, updatedAt: new Date().toISOString() })
        .where(and(eq(products.storeId, storeId), eq(products.categoryId, categoryId)))
        .returning()
    },

    /** The customer's orders, left without a customer. */
    async detachOrders(storeId: string, customerId: string, tx: Tx = db): Promise<OrderRow[]> {
      return tx
        .update(orders)
        .set({ customerId: null, updatedAt: new Date().toISOString() })
        .where(and(eq(orders.storeId, storeId), eq(orders.customerId, customerId)))
        .returning()
    },
  }
}

export type CatalogRepo = ReturnType<typeof createCatalogRepo>
