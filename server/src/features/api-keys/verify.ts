import type { Permission } from '@deskflow/shared'
import type { SecretBox } from '../../lib/secret-box'
import type { ApiKeysRepo } from './repo'
import { isWellFormedKey, isWellFormedSecret } from './credentials'

export interface VerifiedApiKey {
  apiKeyId: string
  storeId: string
  permissions: Permission[]
}

/**
 * The one place an API key + secret is checked. Reads the row on every call (no
 * cache), so deletion, deactivation and regeneration take effect on the very next
 * request on every server instance. Answers null for every kind of failure, so
 * callers cannot tell a wrong secret from a revoked key.
 */
export function createApiKeyVerifier(deps: { repo: Pick<ApiKeysRepo, 'findByKey'>; box: Pick<SecretBox, 'hashEquals'> }) {
  return async function verifyApiKey(key: string, secret: string, now: Date = new Date()): Promise<VerifiedApiKey | null> {
    if (!isWellFormedKey(key) || !isWellFormedSecret(secret)) return null
    const row = await deps.repo.findByKey(key)
    if (!row || !row.activated) return null
    const current = deps.box.hashEquals(secret, row.secretHash)
    const previous =
      row.previousSecretHash !== null &&
      row.previousSecretValidUntil !== null &&
      row.previousSecretValidUntil.getTime() > now.getTime() &&
      deps.box.hashEquals(secret, row.previousSecretHash)
    if (!current && !previous) return null
    return { apiKeyId: row.id, storeId: row.storeId, permissions: row.permissions }
  }
}

export type VerifyApiKey = ReturnType<typeof createApiKeyVerifier>
