import { USAGE_TOP_KEYS, type UsageBucket, type UsageCounts, type UsagePeriod, type UsageReport } from '@deskflow/shared'
import { AppError } from '../../lib/errors'
import type { UsageRepo } from './repo'

const HOUR = 3600_000
const HOURS: Record<UsagePeriod, number> = { '24h': 24, '7d': 168, '30d': 720 }

const empty = (): UsageCounts => ({ success: 0, clientError: 0, authError: 0, rateLimited: 0, serverError: 0 })
const requests = (c: UsageCounts) => c.success + c.clientError + c.authError + c.rateLimited + c.serverError

export function createUsageService(deps: { repo: UsageRepo }) {
  const { repo } = deps
  return {
    /** Hour-by-hour counts for the period (zero-filled), and per-key totals and last use. */
    async report(storeId: string, period: UsagePeriod, apiKeyId?: string, now = new Date()): Promise<UsageReport> {
      const hours = HOURS[period]
      const to = new Date(Math.floor(now.getTime() / HOUR) * HOUR)
      const from = new Date(to.getTime() - (hours - 1) * HOUR)
      const scope = { storeId, from, apiKeyId }

      const byHour = await repo.countsByHour(scope)
      const counted = new Map(byHour.map(({ hour, ...counts }) => [hour.getTime(), counts]))
      const series: UsageBucket[] = Array.from({ length: hours }, (_, i) => {
        const hour = from.getTime() + i * HOUR
        return { hour: new Date(hour).toISOString(), ...(counted.get(hour) ?? empty()) }
      })

      const byKey = await repo.countsByKey(scope)
      const totals = new Map(byKey.map(({ apiKeyId: id, ...counts }) => [id, counts]))
      // One key, or the busiest of the store's keys that still exist (a deleted key's counts
      // stay in the totals, not in the list; ties by id, so the answer is stable).
      const found = await repo.keys(storeId, apiKeyId ? [apiKeyId] : [...totals.keys()])
      if (apiKeyId && found.length === 0) throw AppError.notFound('API key')
      const total = (id: string) => requests(totals.get(id) ?? empty())
      const keys = apiKeyId ? found : found.sort((a, b) => total(b.id) - total(a.id) || (a.id < b.id ? -1 : 1)).slice(0, USAGE_TOP_KEYS)
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
