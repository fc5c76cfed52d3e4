import type { Db } from '../../db'
import type { UsageRepo } from './repo'

export type Outcome = 'success' | 'clientError' | 'authError' | 'rateLimited' | 'serverError'

export function outcomeOf(status: number): Outcome {
  if (status === 401 || status === 403) return 'authError'
  if (status === 429) return 'rateLimited'
  if (status >= 500) return 'serverError'
  if (status >= 400) return 'clientError'
  return 'success'
}

/** One counted answer. `authenticated`: the credentials were valid, so the key counts as used. */
export interface UsageHit {
  apiKeyId: string
  storeId: string
  status: number
  ip: string
  authenticated: boolean
  at?: Date
}

interface Bucket {
  apiKeyId: string
  storeId: string
  hour: Date
  counts: Record<Outcome, number>
}

const HOUR = 3600_000
const zero = (): Record<Outcome, number> => ({ success: 0, clientError: 0, authError: 0, rateLimited: 0, serverError: 0 })

/**
 * Counts integrator requests in memory and writes them in one batch every few
 * seconds (and at shutdown), so a request never waits for a usage write. A failed
 * flush keeps its counts for the next one.
 */
export function createUsageRecorder(deps: { db: Db; repo: UsageRepo; onError?: (err: unknown) => void }) {
  const { db, repo } = deps
  let buckets = new Map<string, Bucket>()
  let lastUsed = new Map<string, { at: Date; ip: string }>()
  let timer: NodeJS.Timeout | undefined
  let flushing: Promise<void> = Promise.resolve()

  function merge(into: Map<string, Bucket>, from: Map<string, Bucket>) {
    for (const [k, b] of from) {
      const existing = into.get(k)
      if (!existing) into.set(k, b)
      else for (const o of Object.keys(b.counts) as Outcome[]) existing.counts[o] += b.counts[o]
    }
  }

  async function write(pending: Map<string, Bucket>, used: Map<string, { at: Date; ip: string }>) {
    const rows = [...pending.values()].map((b) => ({ apiKeyId: b.apiKeyId, storeId: b.storeId, hour: b.hour, ...b.counts }))
    await db.transaction(async (tx) => {
      if (rows.length > 0) await repo.addCounts(rows, tx)
      for (const [id, use] of used) await repo.markUsed(id, use, tx)
    })
  }

  async function flushNow() {
    if (buckets.size === 0 && lastUsed.size === 0) return
    const pending = buckets
    const used = lastUsed
    buckets = new Map()
    lastUsed = new Map()
    try {
      await write(pending, used)
    } catch (err) {
      merge(buckets, pending)
      for (const [id, v] of used) if (!lastUsed.has(id)) lastUsed.set(id, v)
      deps.onError?.(err)
    }
  }

  return {
    record({ apiKeyId, storeId, status, ip, authenticated, at = new Date() }: UsageHit) {
      const hour = new Date(Math.floor(at.getTime() / HOUR) * HOUR)
      const k = `${apiKeyId}|${hour.getTime()}`
      let bucket = buckets.get(k)
      if (!bucket) buckets.set(k, (bucket = { apiKeyId, storeId, hour, counts: zero() }))
      bucket.counts[outcomeOf(status)]++
      if (authenticated) lastUsed.set(apiKeyId, { at, ip })
    },

    /** Writes what has been counted; concurrent calls run one after another. */
    flush(): Promise<void> {
      flushing = flushing.then(flushNow)
      return flushing
    },

    start(intervalMs: number) {
      timer = setInterval(() => void this.flush(), intervalMs)
      timer.unref()
    },

    async stop() {
      if (timer) clearInterval(timer)
      await this.flush()
    },
  }
}

export type UsageRecorder = ReturnType<typeof createUsageRecorder>
