import { and, asc, eq } from 'drizzle-orm'
import type { Tx } from '../../db'
import { storeMembers, stores, type StoreRow } from '../../db/schema'

export function createStoresRepo(db: Tx) {
  return {
    async listForAdmin(adminId: string, tx: Tx = db) {
      return tx
        .select({ key: stores.key, name: stores.name, role: storeMembers.role })
        .from(storeMembers)
        .innerJoin(stores, eq(stores.id, storeMembers.storeId))
        .where(eq(storeMembers.adminId, adminId))
        .orderBy(asc(stores.name))
    },

    async findForMember(adminId: string, key: string, tx: Tx = db): Promise<{ store: StoreRow; role: string } | undefined> {
      const [row] = await tx
        .select({ store: stores, role: storeMembers.role })
        .from(stores)
        .innerJoin(storeMembers, and(eq(storeMembers.storeId, stores.id), eq(storeMembers.adminId, adminId)))
        .where(eq(stores.key, key))
      return row
    },

    async findByKey(key: string, tx: Tx = db): Promise<StoreRow | undefined> {
      const [row] = await tx.select().from(stores).where(eq(stores.key, key))
      return row
    },

    async insert(values: typeof stores.$inferInsert, tx: Tx = db): Promise<StoreRow> {
      const [row] = await tx.insert(stores).values(values).returning()
      return row!
    },

    async addMember(storeId: string, adminId: string, role: string, tx: Tx = db): Promise<void> {
      await tx.insert(storeMembers).values({ storeId, adminId, role }).onConflictDoNothing()
    },

    /** Adds the admin to the store with `role`, or changes the role of a member. */
    async setMember(storeId: string, adminId: string, role: string, tx: Tx = db): Promise<void> {
      await tx
        .insert(storeMembers)
        .values({ storeId, adminId, role })
        .onConflictDoUpdate({ target: [storeMembers.storeId, storeMembers.adminId], set: { role } })
    },
  }
}

export type StoresRepo = ReturnType<typeof createStoresRepo>
