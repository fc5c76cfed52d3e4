import type { UsageBucket, UsageCounts, UsagePeriod, UsageReport } from '@deskflow/shared'
import { and, asc, eq, gte, sql } from 'drizzle-orm'
import type { Db } from '../../db'
import { apiKeys, apiKeyUsage } from '../../db/schema'
import { AppError } from '../../lib/errors'

const HOUR = 3600_000
const HOURS: Record<UsagePeriod, number> = { '24h': 24, '7d': 168 }

const sums = {
  success: sql<number>`coalesce(sum(${apiKeyUsage.success}), 0)::int`,
  clientError: sql<number>`coalesce(sum(${apiKeyUsage.clientError}), 0)::int`,
  authError: sql<number>`coalesce(sum(${apiKeyUsage.authError}), 0)::int`,
  rateLimited: sql<number>`coalesce(sum(${apiKeyUsage.rateLimited}), 0)::int`,
  serverError: sql<number>`coalesce(sum(${apiKeyUsage.serverError}), 0)::int`,
}

const empty = (): UsageCounts => ({ success: 0, clientError: 0, authError: 0, rateLimited: 0, serverError: 0 })

export function createUsageService(db: Db) {
  return {
    /** Hour-by-hour counts for the period (zero-filled), and per-key totals and last use. */
    async report(storeId: string, period: UsagePeriod, apiKeyId?: string, now = new Date()): Promise<UsageReport> {
      const hours = HOURS[period]
      const to = new Date(Math.floor(now.getTime() / HOUR) * HOUR)
      const from = new Date(to.getTime() - (hours - 1) * HOUR)
      const scope = and(eq(apiKeyUsage.storeId, storeId), gte(apiKeyUsage.hour, from), apiKeyId ? eq(apiKeyUsage.apiKeyId, apiKeyId) : undefined)

      const byHour = await db.select({ hour: apiKeyUsage.hour, ...sums }).from(apiKeyUsage).where(scope).groupBy(apiKeyUsage.hour)
      const counted = new Map(byHour.map(({ hour, ...counts }) => [hour.getTime(), counts]))
      const series: UsageBucket[] = Array.from({ length: hours }, (_, i) => {
        const hour = from.getTime() + i * HOUR
        return { hour: new Date(hour).toISOString(), ...(counted.get(hour) ?? empty()) }
      })

      const byKey = await db.select({ apiKeyId: apiKeyUsage.apiKeyId, ...sums }).from(apiKeyUsage).where(scope).groupBy(apiKeyUsage.apiKeyId)
      const totals = new Map(byKey.map(({ apiKeyId: id, ...counts }) => [id, counts]))
      const keys = await db
        .select({ id: apiKeys.id, description: apiKeys.description, lastUsedAt: apiKeys.lastUsedAt, lastUsedIp: apiKeys.lastUsedIp })
        .from(apiKeys)
        .where(and(eq(apiKeys.storeId, storeId), apiKeyId ? eq(apiKeys.id, apiKeyId) : undefined))
        .orderBy(asc(apiKeys.createdAt))

      if (apiKeyId && keys.length === 0) throw AppError.notFound('API key')
      return {
        period,
        from: from.toISOString(),
        to: new Date(to.getTime() + HOUR).toISOString(),
        series,
        keys: keys.map((k) => ({
          apiKeyId: k.id,
          description: k.description,
          lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
          lastUsedIp: k.lastUsedIp,
          totals: totals.get(k.id) ?? empty(),
        })),
      }
    },
  }
}

export type UsageService = ReturnType<typeof createUsageService>
