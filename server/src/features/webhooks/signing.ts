import { randomBytes } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { WEBHOOK_SECRET_PREFIX } from '@deskflow/shared'

/** `whsec_` + 24 random bytes in base64, the Standard Webhooks secret format. */
export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(24).toString('base64')}`
}

/**
 * The Standard Webhooks headers for one attempt. The id stays the same across
 * retries; the timestamp is the attempt's. During a rotation the body is signed
 * with both secrets (space-separated `v1,…` entries), so receivers can switch over.
 */
export function signedHeaders(secrets: string[], messageId: string, at: Date, body: string): Record<string, string> {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(messageId, at, body))
  return {
    'content-type': 'application/json',
    'user-agent': 'Deskflow-Webhooks/1.0',
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  }
}
