import type { SecretBox } from '../../lib/secret-box'
import type { ApiKeysRepo } from './repo'
import { isWellFormedKey, isWellFormedSecret } from './credentials'
import { verificationOf, type PresentedKey, type Verification, type VerifiedApiKey } from './key-check'

export type { RejectionReason, Verification, VerifiedApiKey, PresentedKey } from './key-check'

/**
 * The one place an API key + secret is checked. Reads the row on every call (no
 * cache), so deletion, deactivation, expiry and regeneration take effect on the very
 * next request on every server instance. Callers answer every failure the same way.
 */
export function createApiKeyVerifier(deps: { repo: Pick<ApiKeysRepo, 'keyCheck'>; box: Pick<SecretBox, 'hashCandidates'> }) {
  /**
   * The credentials as the database compares them, or null for a key that is not even
   * well formed (refused without a query). A malformed secret is still looked up under
   * its key, so that a mistyped secret for a real key shows in that key's usage.
   */
  function present(key: string, secret: string, now: Date = new Date()): PresentedKey | null {
    if (!isWellFormedKey(key)) return null
    return { key, secretHashes: isWellFormedSecret(secret) ? deps.box.hashCandidates(secret) : [], now }
  }

  async function checkPresented(presented: PresentedKey): Promise<Verification> {
    return verificationOf(await deps.repo.keyCheck(presented))
  }

  async function check(key: string, secret: string, now?: Date): Promise<Verification> {
    const presented = present(key, secret, now)
    return presented ? checkPresented(presented) : { ok: false, reason: 'malformed' }
  }

  /** The plain form: the verified key, or null for every kind of failure. */
  async function verifyApiKey(key: string, secret: string, now?: Date): Promise<VerifiedApiKey | null> {
    const result = await check(key, secret, now)
    return result.ok ? result.key : null
  }

  return Object.assign(verifyApiKey, { check, checkPresented, present })
}

export type VerifyApiKey = ReturnType<typeof createApiKeyVerifier>
