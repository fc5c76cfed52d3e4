import type { Db } from '../../db'
import type { AuthService } from '../auth/service'
import type { Actor } from '../../http/auth'
import type { AuditService } from './service'

export interface RevealInput {
  storeId: string
  actor: Actor
  /** What holds the secret: its type names the audit actions (`api_key.secret_revealed`). */
  target: { type: 'api_key' | 'webhook'; id: string }
  password: string
}

/**
 * A stored secret is shown again only after the signed-in admin's password, and every
 * try is in the audit log, refused ones included. The entries are written on their
 * own, outside any transaction: a refusal stays logged although the request fails.
 */
export function createSecretReveal(deps: { db: Db; auth: Pick<AuthService, 'confirmPassword'>; audit: Pick<AuditService, 'record'> }) {
  const { db, auth, audit } = deps
  return {
    async confirm({ storeId, actor, target, password }: RevealInput): Promise<void> {
      try {
        await auth.confirmPassword(actor.adminId, password)
      } catch (err) {
        await audit.record(db, {
          storeId,
          actor,
          action: `${target.type}.secret_reveal_refused`,
          target,
          metadata: { reason: 'wrong password' },
        })
        throw err
      }
      await audit.record(db, { storeId, actor, action: `${target.type}.secret_revealed`, target })
    },
  }
}

export type SecretReveal = ReturnType<typeof createSecretReveal>
