import type { Permission } from '@deskflow/shared'
import type { SecretBox } from '../../lib/secret-box'
import type { ApiKeysRepo } from './repo'
import { isWellFormedKey, isWellFormedSecret } from './credentials'

export interface VerifiedApiKey {
  apiKeyId: string
  storeId: string
  permissions: Permission[]
  allowedIps: string[]
  rateLimitPerMinute: number
}

/** Why a check failed: for usage counts and logs only, never for the caller. */
export type RejectionReason = 'malformed' | 'unknown_key' | 'wrong_secret' | 'deactivated' | 'expired'

export type Verification = { ok: true; key: VerifiedApiKey } | { ok: false; reason: RejectionReason; apiKeyId?: string; storeId?: string }

/**
 * The one place an API key + secret is checked. Reads the row on every call (no
 * cache), so deletion, deactivation, expiry and regeneration take effect on the very
 * next request on every server instance. Callers answer every failure the same way.
 */
export function createApiKeyVerifier(deps: { repo: Pick<ApiKeysRepo, 'credentialsByKey'>; box: Pick<SecretBox, 'hashEquals'> }) {
  async function check(key: string, secret: string, now: Date = new Date()): Promise<Verification> {
    if (!isWellFormedKey(key)) return { ok: false, reason: 'malformed' }
    const row = await deps.repo.credentialsByKey(key)
    if (!row) return { ok: false, reason: 'unknown_key' }
    const known = { apiKeyId: row.id, storeId: row.storeId }
    // Still looked up: a mistyped secret for a real key shows in that key's usage.
    if (!isWellFormedSecret(secret)) return { ok: false, reason: 'wrong_secret', ...known }
    const current = deps.box.hashEquals(secret, row.secretHash)
    const previous =
      row.previousSecretHash !== null &&
      row.previousSecretValidUntil !== null &&
      row.previousSecretValidUntil.getTime() > now.getTime() &&
      deps.box.hashEquals(secret, row.previousSecretHash)
    if (!current && !previous) return { ok: false, reason: 'wrong_secret', ...known }
    if (!row.activated) return { ok: false, reason: 'deactivated', ...known }
    if (row.expiresAt !== null && row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired', ...known }
    return {
      ok: true,
      key: { ...known, permissions: row.permissions, allowedIps: row.allowedIps, rateLimitPerMinute: row.rateLimitPerMinute },
    }
  }

  /** The plain form: the verified key, or null for every kind of failure. */
  async function verifyApiKey(key: string, secret: string, now?: Date): Promise<VerifiedApiKey | null> {
    const result = await check(key, secret, now)
    return result.ok ? result.key : null
  }

  return Object.assign(verifyApiKey, { check })
}

export type VerifyApiKey = ReturnType<typeof createApiKeyVerifier>
