import { Type, type Static } from 'typebox'
import { EVENT_TYPES, EventType } from './events'
import { CURSOR_DESCRIPTION, NullableTimestamp, Timestamp, idParams } from './common'

export const WEBHOOK_SECRET_PREFIX = 'whsec_'
export const WEBHOOK_STATUSES = ['active', 'paused', 'disabled'] as const
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number]

/** At once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts, then the delivery fails. */
export const RETRY_SCHEDULE_SECONDS = [0, 5, 300, 1800, 7200, 18000, 36000, 36000] as const

export const WebhookUrl = Type.String({
  minLength: 1,
  maxLength: 2048,
  description: 'An absolute https URL (http only where the configuration allows it). Private and internal addresses are refused.',
  examples: ['https://your-server.com/webhook'],
})

/** The events a webhook receives: one or more, each once. */
export const WebhookEvents = Type.Array(EventType, {
  minItems: 1,
  maxItems: EVENT_TYPES.length,
  uniqueItems: true,
  description: 'The event types sent to this URL, at least one (the web app suggests `order.created`).',
  examples: [['order.created'], ['order.created', 'order.updated']],
})

export const WebhookParams = idParams('wh')
export type WebhookParams = Static<typeof WebhookParams>

export const DeliveryParams = Type.Object({
  key: WebhookParams.properties.key,
  id: WebhookParams.properties.id,
  deliveryId: Type.String({ pattern: '^whd_[0-9A-Za-z]{1,64}$' }),
})
export type DeliveryParams = Static<typeof DeliveryParams>

export const CreateWebhookBody = Type.Object(
  { url: WebhookUrl, events: WebhookEvents },
  {
    title: 'CreateWebhookBody',
    additionalProperties: false,
    examples: [{ url: 'https://your-server.com/webhook', events: ['order.created'] }],
  },
)
export type CreateWebhookBody = Static<typeof CreateWebhookBody>

export const UpdateWebhookBody = Type.Object(
  {
    url: Type.Optional(WebhookUrl),
    events: Type.Optional(WebhookEvents),
    status: Type.Optional(
      Type.Enum(['active', 'paused'], { description: '`paused` holds new events; `active` resumes (and re-enables a disabled webhook).' }),
    ),
  },
  { title: 'UpdateWebhookBody', additionalProperties: false, minProperties: 1 },
)
export type UpdateWebhookBody = Static<typeof UpdateWebhookBody>

export const SendTestBody = Type.Object(
  {
    // The event to send a sample of: one of the webhook's events (default: its first).
    event: Type.Optional(EventType),
  },
  {
    title: 'SendTestBody',
    additionalProperties: false,
    description: "Optional: `event`, one of the webhook's events, to send a sample of (default: the webhook's first event).",
  },
)
export type SendTestBody = Static<typeof SendTestBody>

export const DeliveryResult = Type.Object(
  {
    at: Timestamp,
    ok: Type.Boolean(),
    statusCode: Type.Union([Type.Integer(), Type.Null()]),
    error: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'DeliveryResult' },
)
export type DeliveryResult = Static<typeof DeliveryResult>

export const Webhook = Type.Object(
  {
    id: Type.String({ examples: ['wh_3kTq9vXb2LmN8pRs4Yz1'] }),
    url: Type.String(),
    events: Type.Array(EventType, { minItems: 1, description: 'The event types sent to this URL, in the order of the event catalogue.' }),
    status: Type.Enum(WEBHOOK_STATUSES),
    disabledReason: Type.Union([Type.String(), Type.Null()], { description: 'Why the webhook was disabled by the system.' }),
    secretLast4: Type.String(),
    previousSecretExpiresAt: Type.Union([Timestamp, Type.Null()], {
      description: 'After a rotation, deliveries are signed with both secrets until this time.',
    }),
    failingSince: NullableTimestamp,
    lastDelivery: Type.Union([DeliveryResult, Type.Null()]),
    heldCount: Type.Integer({ description: 'Events kept while the webhook was paused or disabled, ready to replay.' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Webhook' },
)
export type Webhook = Static<typeof Webhook>

export const WebhookList = Type.Object({ data: Type.Array(Webhook) }, { title: 'WebhookList' })
export type WebhookList = Static<typeof WebhookList>

export const CreatedWebhook = Type.Object(
  {
    ...Webhook.properties,
    secret: Type.String({ description: 'The signing secret (`whsec_…`). Shown in full on create, reveal and rotate.' }),
  },
  { title: 'CreatedWebhook' },
)
export type CreatedWebhook = Static<typeof CreatedWebhook>

export const WebhookSecret = Type.Object(
  {
    id: Type.String(),
    secret: Type.String(),
    previousSecretExpiresAt: Type.Union([Timestamp, Type.Null()]),
  },
  { title: 'WebhookSecret' },
)
export type WebhookSecret = Static<typeof WebhookSecret>

/** One HTTP attempt, as the delivery log shows it. */
export const DeliveryAttempt = Type.Object(
  {
    number: Type.Integer({ minimum: 1 }),
    at: Timestamp,
    requestHeaders: Type.Record(Type.String(), Type.String()),
    requestBody: Type.String(),
    statusCode: Type.Union([Type.Integer(), Type.Null()]),
    responseHeaders: Type.Record(Type.String(), Type.String()),
    responseBody: Type.String({ description: 'At most 4 KB.' }),
    responseTruncated: Type.Boolean(),
    durationMs: Type.Integer(),
    error: Type.Union([Type.String(), Type.Null()], {
      description: 'What went wrong, in words (DNS, refused, timeout, TLS, blocked address, non-2xx).',
    }),
  },
  { title: 'DeliveryAttempt' },
)
export type DeliveryAttempt = Static<typeof DeliveryAttempt>

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed', 'held'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

export const Delivery = Type.Object(
  {
    id: Type.String({ examples: ['whd_0mfz3k2a1q8r7s6t5u4v'] }),
    messageId: Type.String({ description: 'The `webhook-id` header: the same on every retry. Receivers de-duplicate with it.' }),
    eventId: Type.Union([Type.String(), Type.Null()]),
    eventType: EventType,
    status: Type.Enum(DELIVERY_STATUSES),
    test: Type.Boolean({ description: 'Sent with "Send Dummy".' }),
    attemptCount: Type.Integer(),
    nextAttemptAt: NullableTimestamp,
    payload: Type.Record(Type.String(), Type.Unknown()),
    attempts: Type.Array(DeliveryAttempt),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Delivery' },
)
export type Delivery = Static<typeof Delivery>

export const DeliveryQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: CURSOR_DESCRIPTION })),
  status: Type.Optional(Type.Enum(DELIVERY_STATUSES)),
})
export type DeliveryQuery = Static<typeof DeliveryQuery>

export const DeliveryList = Type.Object(
  { data: Type.Array(Delivery), nextCursor: Type.Union([Type.String(), Type.Null()]) },
  { title: 'DeliveryList' },
)
export type DeliveryList = Static<typeof DeliveryList>

export const ReplayBody = Type.Object(
  {
    since: Type.String({ format: 'date-time', description: 'Replay deliveries created at or after this time.' }),
    include: Type.Optional(
      Type.Array(Type.Enum(['failed', 'held']), {
        minItems: 1,
        default: ['failed', 'held'],
        description: '`failed`: gave up after the retries; `held`: arrived while paused or disabled.',
      }),
    ),
  },
  { title: 'ReplayBody', additionalProperties: false },
)
export type ReplayBody = Static<typeof ReplayBody>

export const ReplayResult = Type.Object({ queued: Type.Integer() }, { title: 'ReplayResult' })
export type ReplayResult = Static<typeof ReplayResult>

/** What "Send Dummy" answers: the receiver's answer, or the error in words. */
export const TestDeliveryResult = Type.Object(
  {
    deliveryId: Type.String(),
    ok: Type.Boolean(),
    statusCode: Type.Union([Type.Integer(), Type.Null()]),
    responseHeaders: Type.Record(Type.String(), Type.String()),
    responseBody: Type.String(),
    responseTruncated: Type.Boolean(),
    durationMs: Type.Integer(),
    error: Type.Union([Type.String(), Type.Null()]),
    request: Type.Object({ url: Type.String(), headers: Type.Record(Type.String(), Type.String()), body: Type.String() }),
  },
  { title: 'TestDeliveryResult' },
)
export type TestDeliveryResult = Static<typeof TestDeliveryResult>
