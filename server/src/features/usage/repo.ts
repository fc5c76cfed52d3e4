import { and, eq, gte, inArray, sql } from 'drizzle-orm'
import type { Tx } from '../../db'
import { apiKeys, apiKeyUsage } from '../../db/schema'

export type UsageCountsRow = typeof apiKeyUsage.$inferInsert

/** The rows a report reads: a store's, since an hour, of one key or of all. */
export interface UsageScope {
  storeId: string
  from: Date
  apiKeyId?: string
}

const sums = {
  success: sql<number>`coalesce(sum(${apiKeyUsage.success}), 0)::int`,
  clientError: sql<number>`coalesce(sum(${apiKeyUsage.clientError}), 0)::int`,
  authError: sql<number>`coalesce(sum(${apiKeyUsage.authError}), 0)::int`,
  rateLimited: sql<number>`coalesce(sum(${apiKeyUsage.rateLimited}), 0)::int`,
  serverError: sql<number>`coalesce(sum(${apiKeyUsage.serverError}), 0)::int`,
}

const inScope = ({ storeId, from, apiKeyId }: UsageScope) =>
  and(eq(apiKeyUsage.storeId, storeId), gte(apiKeyUsage.hour, from), apiKeyId ? eq(apiKeyUsage.apiKeyId, apiKeyId) : undefined)

export function createUsageRepo(db: Tx) {
  return {
    /** Adds the counts to each key's hour (a new hour starts from them). */
    async addCounts(rows: UsageCountsRow[], tx: Tx = db): Promise<void> {
      await tx
        .insert(apiKeyUsage)
        .values(rows)
        .onConflictDoUpdate({
          target: [apiKeyUsage.apiKeyId, apiKeyUsage.hour],
          set: {
            success: sql`${apiKeyUsage.success} + excluded.success`,
            clientError: sql`${apiKeyUsage.clientError} + excluded.client_error`,
            authError: sql`${apiKeyUsage.authError} + excluded.auth_error`,
            rateLimited: sql`${apiKeyUsage.rateLimited} + excluded.rate_limited`,
            serverError: sql`${apiKeyUsage.serverError} + excluded.server_error`,
          },
        })
    },

    /** The key's last use, unless a later one is already stored. */
    async markUsed(apiKeyId: string, { at, ip }: { at: Date; ip: string }, tx: Tx = db): Promise<void> {
      await tx
        .update(apiKeys)
        .set({ lastUsedAt: at, lastUsedIp: ip })
        .where(sql`${apiKeys.id} = ${apiKeyId} and (${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} < ${at})`)
    },

    async countsByHour(scope: UsageScope, tx: Tx = db) {
      return tx
        .select({ hour: apiKeyUsage.hour, ...sums })
        .from(apiKeyUsage)
        .where(inScope(scope))
        .groupBy(apiKeyUsage.hour)
    },

    async countsByKey(scope: UsageScope, tx: Tx = db) {
      return tx
        .select({ apiKeyId: apiKeyUsage.apiKeyId, ...sums })
        .from(apiKeyUsage)
        .where(inScope(scope))
        .groupBy(apiKeyUsage.apiKeyId)
    },

    /** These keys of the store (those that still exist), with their last use. */
    async keys(storeId: string, ids: string[], tx: Tx = db) {
      if (ids.length === 0) return []
      return tx
        .select({ id: apiKeys.id, description: apiKeys.description, lastUsedAt: apiKeys.lastUsedAt, lastUsedIp: apiKeys.lastUsedIp })
        .from(apiKeys)
        .where(and(eq(apiKeys.storeId, storeId), inArray(apiKeys.id, ids)))
    },
  }
}

export type UsageRepo = ReturnType<typeof createUsageRepo>
