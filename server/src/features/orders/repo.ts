import { STOCK_MAX } from '@deskflow/shared'
import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../db'
import { products, stores, type ProductRow } from '../../db/schema'

export interface StockChange {
  storeId: string
  productId: string
  quantity: number
}

/** The queries orders run on products and stores; the orders' own rows are in the scoped repository. */
export function createOrdersRepo(db: Tx) {
  return {
    /**
     * Takes the quantity of a product that is for sale, in one conditional UPDATE, so two
     * concurrent orders cannot both take the last unit. Untracked stock (null) stays
     * untracked. Nothing is returned when the product is missing, inactive or short.
     */
    async takeStock({ storeId, productId, quantity }: StockChange, tx: Tx = db): Promise<ProductRow | undefined> {
      const [product] = await tx
        .update(products)
        .set({
          stock: sql`case when ${products.stock} is null then null else ${products.stock} - ${quantity} end`,
          updatedAt: new Date().toISOString(),
        })
        .where(
          and(
            eq(products.storeId, storeId),
            eq(products.id, productId),
            eq(products.active, true),
            sql`(${products.stock} is null or ${products.stock} >= ${quantity})`,
          ),
        )
        .returning()
      return product
    },

    /**
     * Puts the quantity back in stock (tracked products only), up to the stock maximum.
     * Summed as bigint, so a value near the column's limit cannot overflow on the way.
     */
    async putBackStock({ storeId, productId, quantity }: StockChange, tx: Tx = db): Promise<ProductRow | undefined> {
      const [row] = await tx
        .update(products)
        .set({ stock: sql`least(${products.stock}::bigint + ${quantity}, ${STOCK_MAX})`, updatedAt: new Date().toISOString() })
        .where(and(eq(products.storeId, storeId), eq(products.id, productId), sql`${products.stock} is not null`))
        .returning()
      return row
    },

    async findProduct(storeId: string, productId: string, tx: Tx = db): Promise<ProductRow | undefined> {
      const [row] = await tx
        .select()
        .from(products)
        .where(and(eq(products.storeId, storeId), eq(products.id, productId)))
      return row
    },

    /** The store's next order number, and its currency. The store row stays locked until the transaction ends. */
    async nextOrderNumber(storeId: string, tx: Tx = db): Promise<{ number: number; currency: string } | undefined> {
      const [store] = await tx
        .update(stores)
        .set({ orderSeq: sql`${stores.orderSeq} + 1` })
        .where(eq(stores.id, storeId))
        .returning({ number: stores.orderSeq, currency: stores.currency })
      return store
    },
  }
}

export type OrdersRepo = ReturnType<typeof createOrdersRepo>
