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
] as const

export const AuditEntry = Type.Object(
  {
    id: Type.String(),
    action: Type.String({ examples: [...AUDIT_ACTIONS] }),
    actor: Type.Union([Type.Object({ id: Type.String(), email: Type.String() }), Type.Null()]),
    targetType: Type.String({ examples: ['api_key'] }),
    targetId: Type.String(),
    metadata: Type.Record(Type.String(), Type.Unknown()),
    ip: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
  },
  { title: 'AuditEntry' },
)
export type AuditEntry = Static<typeof AuditEntry>

export const AuditQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
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
