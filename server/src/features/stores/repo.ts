import { and, asc, eq } from 'drizzle-orm'
import type { StoreRole } from '@deskflow/shared'
import type { Tx } from '../../db'
import { admins, storeMembers, stores, type StoreRow } from '../../db/schema'

/** A membership as the team sees it: the admin's email beside the role. */
const memberColumns = { adminId: storeMembers.adminId, email: admins.email, role: storeMembers.role, addedAt: storeMembers.createdAt }
export interface MemberRow {
  adminId: string
  email: string
  role: StoreRole
  addedAt: Date
}

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

    async findForMember(adminId: string, key: string, tx: Tx = db): Promise<{ store: StoreRow; role: StoreRole } | undefined> {
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

    async addMember(storeId: string, adminId: string, role: StoreRole, tx: Tx = db): Promise<void> {
      await tx.insert(storeMembers).values({ storeId, adminId, role }).onConflictDoNothing()
    },

    /** Adds the admin to the store with `role`, or changes the role of a member. */
    async setMember(storeId: string, adminId: string, role: StoreRole, tx: Tx = db): Promise<void> {
      await tx
        .insert(storeMembers)
        .values({ storeId, adminId, role })
        .onConflictDoUpdate({ target: [storeMembers.storeId, storeMembers.adminId], set: { role } })
    },

    /** The store's members, the earliest first. */
    async listMembers(storeId: string, tx: Tx = db): Promise<MemberRow[]> {
      return tx
        .select(memberColumns)
        .from(storeMembers)
        .innerJoin(admins, eq(admins.id, storeMembers.adminId))
        .where(eq(storeMembers.storeId, storeId))
        .orderBy(asc(storeMembers.createdAt), asc(admins.email))
    },

    /**
     * The store's owners, their rows locked until the transaction ends (in one order, so two
     * team changes never deadlock): a change that could take away an owner waits for any
     * other such change, then counts the owners it left.
     */
    async lockOwners(storeId: string, tx: Tx): Promise<string[]> {
      const rows = await tx
        .select({ adminId: storeMembers.adminId })
        .from(storeMembers)
        .where(and(eq(storeMembers.storeId, storeId), eq(storeMembers.role, 'owner')))
        .orderBy(asc(storeMembers.adminId))
        .for('update')
      return rows.map((r) => r.adminId)
    },

    /** One member, locked until the transaction ends. */
    async lockMember(storeId: string, adminId: string, tx: Tx): Promise<MemberRow | undefined> {
      const [row] = await tx
        .select(memberColumns)
        .from(storeMembers)
        .innerJoin(admins, eq(admins.id, storeMembers.adminId))
        .where(and(eq(storeMembers.storeId, storeId), eq(storeMembers.adminId, adminId)))
        .for('update', { of: storeMembers })
      return row
    },

    /** Undefined when the admin already is a member. */
    async insertMember(storeId: string, adminId: string, role: StoreRole, tx: Tx): Promise<Date | undefined> {
      const [row] = await tx
        .insert(storeMembers)
        .values({ storeId, adminId, role })
        .onConflictDoNothing()
        .returning({ addedAt: storeMembers.createdAt })
      return row?.addedAt
    },

    async updateRole(storeId: string, adminId: string, role: StoreRole, tx: Tx): Promise<void> {
      await tx
        .update(storeMembers)
        .set({ role })
        .where(and(eq(storeMembers.storeId, storeId), eq(storeMembers.adminId, adminId)))
    },

    async removeMember(storeId: string, adminId: string, tx: Tx): Promise<void> {
      await tx.delete(storeMembers).where(and(eq(storeMembers.storeId, storeId), eq(storeMembers.adminId, adminId)))
    },
  }
}

export type StoresRepo = ReturnType<typeof createStoresRepo>
