import type { AuditAction, AuditEntry } from '@deskflow/shared'
import { formatDateTime } from '@/lib/format'

export const ACTION_LABELS: Record<AuditAction, string> = {
  'api_key.created': 'Key created',
  'api_key.updated': 'Key edited',
  'api_key.deleted': 'Key deleted',
  'api_key.secret_revealed': 'Secret shown',
  'api_key.secret_regenerated': 'Secret regenerated',
  'api_key.secret_reveal_refused': 'Secret refused: wrong password',
  'webhook.created': 'Webhook created',
  'webhook.updated': 'Webhook edited',
  'webhook.deleted': 'Webhook deleted',
  'webhook.tested': 'Dummy event sent',
  'webhook.redelivered': 'Delivery resent',
  'webhook.retried': 'Delivery retried now',
  'webhook.replayed': 'Failed deliveries replayed',
  'webhook.secret_revealed': 'Signing secret shown',
  'webhook.secret_reveal_refused': 'Signing secret refused: wrong password',
  'webhook.secret_rotated': 'Signing secret rotated',
  'member.added': 'Member added',
  'member.role_changed': 'Member role changed',
  'member.removed': 'Member removed',
}

/** An action's words; an action this version does not know keeps its code. */
export function actionLabel(action: string): string {
  return (ACTION_LABELS as Record<string, string>)[action] ?? action
}

const FIELD_LABELS: Record<string, string> = {
  description: 'Description',
  permissions: 'Permissions',
  activated: 'Active',
  expiresAt: 'Expires',
  allowedIps: 'Allowed IPs',
  rateLimitPerMinute: 'Requests per minute',
  gracePeriod: 'Old secret valid for',
  key: 'API key',
  url: 'URL',
  event: 'Event',
  events: 'Events',
  status: 'Status',
  statusCode: 'Response',
  ok: 'Succeeded',
  deliveryId: 'Delivery',
  since: 'Since',
  include: 'Include',
  queued: 'Queued',
  reason: 'Reason',
  email: 'Email',
  role: 'Role',
  newAdmin: 'New admin',
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

function value(v: unknown): string {
  if (v === null || v === undefined) return 'none'
  if (Array.isArray(v)) return v.length === 0 ? 'none' : v.map(value).join(', ')
  if (typeof v === 'boolean') return v ? 'yes' : 'no'
  if (typeof v === 'string') return ISO.test(v) ? formatDateTime(v) : v
  if (typeof v === 'number') return String(v)
  return JSON.stringify(v)
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * What an entry's details say, one line per fact: for an edit, only what changed
 * ("Permissions: read_orders → read_orders, write_orders"); otherwise each recorded value,
 * leaving out the target's name, which has its own column.
 */
export function detailLines(entry: Pick<AuditEntry, 'metadata' | 'targetLabel'>): string[] {
  const { before, after, ...rest } = entry.metadata
  const lines: string[] = []
  if (isRecord(before) && isRecord(after)) {
    for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (!same(before[field], after[field]))
        lines.push(`${FIELD_LABELS[field] ?? field}: ${value(before[field])} → ${value(after[field])}`)
    }
    if (lines.length === 0) lines.push('No change')
  }
  for (const [field, v] of Object.entries(rest)) {
    if ((field === 'description' || field === 'url' || field === 'email') && v === entry.targetLabel) continue
    lines.push(`${FIELD_LABELS[field] ?? field}: ${value(v)}`)
  }
  return lines
}
