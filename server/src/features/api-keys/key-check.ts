import { eq, sql } from 'drizzle-orm'
import type { Permission } from '@deskflow/shared'
import { apiKeys } from '../../db/schema'

/** Why a check failed: for usage counts and logs only, never for the caller. */
export type RejectionReason = 'malformed' | 'unknown_key' | 'wrong_secret' | 'deactivated' | 'expired'

export interface VerifiedApiKey {
  apiKeyId: string
  storeId: string
  permissions: Permission[]
  allowedIps: string[]
  rateLimitPerMinute: number
}

/** The reasons the key check statement itself gives (a malformed key is never looked up; an unknown one has no row). */
type Refusal = Exclude<RejectionReason, 'malformed' | 'unknown_key'>

export type Verification = { ok: true; key: VerifiedApiKey } | { ok: false; reason: RejectionReason; apiKeyId?: string; storeId?: string }

/**
 * The credentials of a request as the database compares them: the public key, every form
 * the secret's keyed hash can be stored in under the key ring (`SecretBox.hashCandidates`;
 * none for a secret that is not even well formed) and the time the request is judged at.
 */
export interface PresentedKey {
  key: string
  secretHashes: string[]
  now: Date
}

/** The values a key check binds, by placeholder name. */
export const keyCheckParams = (presented: PresentedKey) => ({
  key: presented.key,
  secretHashes: presented.secretHashes,
  now: presented.now.toISOString(),
})

const secretHashes = sql`${sql.placeholder('secretHashes')}::text[]`
const now = sql.placeholder('now')

/**
 * The one definition of a valid key, in SQL: why the row of `key` is refused, or `null`
 * when it may be used. The plain check (`verify.ts`), the reads that check the key in the
 * same statement as their data (`api-keys/checked-read.ts`) and the writes that check it again
 * (`write-key-check.ts`) all judge by it, so all refuse alike. The hashes are compared in the
 * database: an HMAC under a server-side key, which a caller cannot steer byte by byte, so
 * the comparison's timing tells nothing. (No previous secret: its comparison is null, so
 * `coalesce` makes it false; a null would skip the refusal.)
 */
export const keyRefusal = sql<Refusal | null>`case
    when not (${apiKeys.secretHash} = any(${secretHashes})
      or coalesce(${apiKeys.previousSecretHash} = any(${secretHashes}) and ${apiKeys.previousSecretValidUntil} > ${now}::timestamptz, false))
      then 'wrong_secret'
    when not ${apiKeys.activated} then 'deactivated'
    when ${apiKeys.expiresAt} <= ${now}::timestamptz then 'expired'
  end`

/** The key check's row: what a request needs of its key, and `keyRefusal`. */
export const keyCheckColumns = {
  id: apiKeys.id,
  storeId: apiKeys.storeId,
  permissions: apiKeys.permissions,
  allowedIps: apiKeys.allowedIps,
  rateLimitPerMinute: apiKeys.rateLimitPerMinute,
  refusal: keyRefusal.as('refusal'),
}

/** The key row the check reads, by its `key` placeholder. */
export const byPresentedKey = eq(apiKeys.key, sql.placeholder('key'))

export type KeyCheckRow = {
  id: string
  storeId: string
  permissions: Permission[]
  allowedIps: string[]
  rateLimitPerMinute: number
  refusal: Refusal | null
}

/**
 * The key check's row out of an array row (`prepareArrayRows`), its columns in the order
 * of `keyCheckColumns` from `offset`: text arrays and integers arrive parsed, nothing to decode.
 */
export function keyCheckRowAt(row: unknown[], offset: number): KeyCheckRow {
  return {
    id: row[offset] as string,
    storeId: row[offset + 1] as string,
    permissions: row[offset + 2] as Permission[],
    allowedIps: row[offset + 3] as string[],
    rateLimitPerMinute: row[offset + 4] as number,
    refusal: row[offset + 5] as Refusal | null,
  }
}

/** What a key check row means: the verified key, or why it is refused (no row: an unknown key). */
export function verificationOf(row: KeyCheckRow | null | undefined): Verification {
  if (!row) return { ok: false, reason: 'unknown_key' }
  const known = { apiKeyId: row.id, storeId: row.storeId }
  if (row.refusal !== null) return { ok: false, reason: row.refusal, ...known }
  return {
    ok: true,
    key: { ...known, permissions: row.permissions, allowedIps: row.allowedIps, rateLimitPerMinute: row.rateLimitPerMinute },
  }
}
