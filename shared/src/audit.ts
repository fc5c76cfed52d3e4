import { Type, type Static } from 'typebox'
import { CURSOR_DESCRIPTION, Timestamp } from './common'

export const AUDIT_ACTIONS = [
  'api_key.created',
  'api_key.updated',
  'api_key.deleted',
  'api_key.secret_revealed',
  'api_key.secret_regenerated',
  'api_key.secret_reveal_refused',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
  'webhook.tested',
  'webhook.redelivered',
  'webhook.retried',
  'webhook.replayed',
  'webhook.secret_revealed',
  'webhook.secret_reveal_refused',
  'webhook.secret_rotated',
  'member.added',
  'member.role_changed',
  'member.removed',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

/** What an audit entry is about; a member's entries name the admin (`adm_…`). */
export const AUDIT_TARGET_TYPES = ['api_key', 'webhook', 'member'] as const
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number]

export const AuditEntry = Type.Object(
  {
    id: Type.String(),
    action: Type.String({ examples: [...AUDIT_ACTIONS] }),
    actor: Type.Union([Type.Object({ id: Type.String(), email: Type.String() }), Type.Null()]),
    targetType: Type.String({ examples: ['api_key'] }),
    targetId: Type.String(),
    targetLabel: Type.Union([Type.String(), Type.Null()], {
      description:
        "The target's name as it is now (an API key's description, a webhook's URL, a member's email), or as the entry recorded it once the target is deleted; null when neither is known.",
    }),
    metadata: Type.Record(Type.String(), Type.Unknown()),
    ip: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
  },
  { title: 'AuditEntry' },
)
export type AuditEntry = Static<typeof AuditEntry>

export const AuditQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  action: Type.Optional(Type.Enum(AUDIT_ACTIONS, { description: 'Only entries of this action.' })),
  targetType: Type.Optional(
    Type.Enum(AUDIT_TARGET_TYPES, { description: 'Only entries about API keys, about webhooks, or about members of the store.' }),
  ),
  targetId: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Only entries about this API key, webhook or member (its `id`, a member’s admin id): its history.',
    }),
  ),
  before: Type.Optional(Type.String({ maxLength: 200, description: CURSOR_DESCRIPTION })),
})
export type AuditQuery = Static<typeof AuditQuery>

export const AuditList = Type.Object(
  {
    data: Type.Array(AuditEntry),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'AuditList' },
)
export type AuditList = Static<typeof AuditList>
