import { eq, sql } from 'drizzle-orm'
import type { Tx } from '../../db'
import { admins, type AdminRow } from '../../db/schema'

export function createAdminsRepo(db: Tx) {
  return {
    async findByEmail(email: string, tx: Tx = db): Promise<AdminRow | undefined> {
      const [row] = await tx.select().from(admins).where(eq(admins.email, email.toLowerCase()))
      return row
    },

    async findById(id: string, tx: Tx = db): Promise<AdminRow | undefined> {
      const [row] = await tx.select().from(admins).where(eq(admins.id, id))
      return row
    },

    async count(tx: Tx = db): Promise<number> {
      const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(admins)
      return row?.n ?? 0
    },

    async insert(values: typeof admins.$inferInsert, tx: Tx = db): Promise<AdminRow> {
      const [row] = await tx.insert(admins).values({ ...values, email: values.email.toLowerCase() }).returning()
      return row!
    },
  }
}

export type AdminsRepo = ReturnType<typeof createAdminsRepo>
