import { and, eq, lt, lte } from 'drizzle-orm'
import type { Db } from '../../db'
import { idempotencyKeys } from '../../db/schema'

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000
/** How long a claimed key waits for its write before another request may take it over (its write never committed). */
const CLAIM_MS = 60_000

export type Claim = { kind: 'claimed' } | { kind: 'replay'; status: number; body: string } | { kind: 'running' } | { kind: 'mismatch' }

/**
 * `Idempotency-Key` of integrator writes, per API key. A request claims its key before
 * its write (committed at once, so that a second request with it sees the first running)
 * and its write stores the answer in the same transaction (`record.ts`). A claim whose
 * write failed is released; one whose process died is taken over once `CLAIM_MS` passed:
 * still `running`, its write never committed.
 */
export function createIdempotency(db: Db) {
  const byKey = (apiKeyId: string, key: string) => and(eq(idempotencyKeys.apiKeyId, apiKeyId), eq(idempotencyKeys.key, key))

  return {
    async claim(apiKeyId: string, key: string, requestHash: string, now = new Date()): Promise<Claim> {
      const lockedUntil = new Date(now.getTime() + CLAIM_MS)
      for (let attempt = 0; attempt < 5; attempt++) {
        const [row] = await db.select().from(idempotencyKeys).where(byKey(apiKeyId, key))
        if (!row) {
          const inserted = await db
            .insert(idempotencyKeys)
            .values({ apiKeyId, key, requestHash, status: 'running', lockedUntil, createdAt: now })
            .onConflictDoNothing()
            .returning({ key: idempotencyKeys.key })
          if (inserted.length > 0) return { kind: 'claimed' }
          continue
        }
        const expiredBefore = new Date(now.getTime() - IDEMPOTENCY_TTL_MS)
        if (row.createdAt <= expiredBefore) {
          // Expired: forgotten, as if never used.
          await db.delete(idempotencyKeys).where(and(byKey(apiKeyId, key), lte(idempotencyKeys.createdAt, expiredBefore)))
          continue
        }
        if (row.requestHash !== requestHash) return { kind: 'mismatch' }
        if (row.status === 'done') return { kind: 'replay', status: row.responseStatus ?? 200, body: row.responseBody ?? '' }
        if (row.lockedUntil > now) return { kind: 'running' }
        const taken = await db
          .update(idempotencyKeys)
          .set({ lockedUntil })
          // One taker wins: a second one, waiting on the row, finds it locked again.
          .where(and(byKey(apiKeyId, key), eq(idempotencyKeys.status, 'running'), lte(idempotencyKeys.lockedUntil, now)))
          .returning({ key: idempotencyKeys.key })
        if (taken.length > 0) return { kind: 'claimed' }
      }
      return { kind: 'running' }
    },

    /** After a write that failed (nothing committed): the key may be used again. */
    async release(apiKeyId: string, key: string): Promise<void> {
      await db.delete(idempotencyKeys).where(and(byKey(apiKeyId, key), eq(idempotencyKeys.status, 'running')))
    },

    /** Forgets keys older than their time to live; the number removed. */
    async prune(now = new Date()): Promise<number> {
      const result = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, new Date(now.getTime() - IDEMPOTENCY_TTL_MS)))
      return result.rowCount ?? 0
    },
  }
}

export type Idempotency = ReturnType<typeof createIdempotency>
