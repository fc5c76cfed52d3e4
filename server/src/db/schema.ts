import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { sql, type InferSelectModel } from 'drizzle-orm'
import {
  RETRY_SCHEDULE_SECONDS,
  type DeliveryStatus,
  type EventType,
  type LineItem,
  type OrderStatus,
  type Permission,
  type StoreRole,
  type WebhookStatus,
} from '@deskflow/shared'
import { isoFromPg } from '../lib/pg-timestamp'

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()

export const admins = pgTable('admins', {
  id: text('id').primaryKey(),
  // Stored lower-cased; sign-in compares lower-cased.
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  // Set while the password is one someone else generated (Settings → Team, the CLI): only choosing one's own is allowed.
  passwordChangeRequired: boolean('password_change_required').notNull().default(false),
  createdAt: createdAt(),
})

/** Signed-in admin sessions; the JWT names one, so signing out revokes it at once. */
export const adminSessions = pgTable(
  'admin_sessions',
  {
    id: text('id').primaryKey(),
    adminId: text('admin_id')
      .notNull()
      .references(() => admins.id, { onDelete: 'cascade' }),
    ip: text('ip'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('admin_sessions_admin_idx').on(t.adminId)],
)

export const stores = pgTable('stores', {
  id: text('id').primaryKey(),
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  currency: text('currency').notNull().default('USD'),
  // Last order number handed out; incremented atomically by each new order.
  orderSeq: integer('order_seq').notNull().default(1000),
  createdAt: createdAt(),
})

export const storeMembers = pgTable(
  'store_members',
  {
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    adminId: text('admin_id')
      .notNull()
      .references(() => admins.id, { onDelete: 'cascade' }),
    role: text('role').$type<StoreRole>().notNull().default('owner'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.adminId] }), index('store_members_admin_idx').on(t.adminId)],
)

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    description: text('description').notNull(),
    // The public identifier (`dfk_…`); looked up on every integrator request.
    key: text('key').notNull().unique(),
    // HMAC-SHA256 of the secret under a subkey of SECRET_KEY; never the secret itself.
    secretHash: text('secret_hash').notNull(),
    // AES-256-GCM of the secret, only for the password-confirmed reveal.
    secretCiphertext: text('secret_ciphertext').notNull(),
    secretLast4: text('secret_last4').notNull(),
    // When the current secret was made (the key's creation or its last regeneration): its age.
    secretCreatedAt: timestamp('secret_created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    permissions: text('permissions').array().$type<Permission[]>().notNull().default([]),
    activated: boolean('activated').notNull().default(true),
    // After a regeneration with a grace period, the old secret still verifies until this time.
    previousSecretHash: text('previous_secret_hash'),
    previousSecretValidUntil: timestamp('previous_secret_valid_until', { withTimezone: true, mode: 'date' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    // CIDR ranges; empty means any address.
    allowedIps: text('allowed_ips').array().notNull().default([]),
    rateLimitPerMinute: integer('rate_limit_per_minute').notNull().default(600),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    lastUsedIp: text('last_used_ip'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  // The admin list: a store's keys newest first, a page at a time.
  (t) => [index('api_keys_store_idx').on(t.storeId, t.createdAt, t.id)],
)

export const auditLog = pgTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    // Kept when the admin is removed, so history stays readable.
    adminId: text('admin_id').references(() => admins.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    ip: text('ip'),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_store_idx').on(t.storeId, t.createdAt, t.id)],
)

const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()

/**
 * The integrator resources' timestamps, which the API only ever sends back: read as
 * PostgreSQL's text and turned into ISO 8601 without a Date in between (a page of 20
 * orders has 40 of them). The column is the same `timestamp with time zone`.
 */
const isoTimestamp = customType<{ data: string; driverData: string }>({
  dataType: () => 'timestamp with time zone',
  fromDriver: isoFromPg,
})
const resourceTimes = () => ({
  createdAt: isoTimestamp('created_at')
    .notNull()
    .default(sql`now()`),
  updatedAt: isoTimestamp('updated_at')
    .notNull()
    .default(sql`now()`),
})
const storeRef = () =>
  text('store_id')
    .notNull()
    .references(() => stores.id, { onDelete: 'cascade' })

/** Hourly integrator request counts per key, written in batches (never one write per request). */
export const apiKeyUsage = pgTable(
  'api_key_usage',
  {
    // No foreign key: the store's usage history outlives a deleted key.
    apiKeyId: text('api_key_id').notNull(),
    storeId: storeRef(),
    hour: timestamp('hour', { withTimezone: true, mode: 'date' }).notNull(),
    success: integer('success').notNull().default(0),
    clientError: integer('client_error').notNull().default(0),
    authError: integer('auth_error').notNull().default(0),
    rateLimited: integer('rate_limited').notNull().default(0),
    serverError: integer('server_error').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.hour] }), index('api_key_usage_store_hour_idx').on(t.storeId, t.hour)],
)

/**
 * `Idempotency-Key`s of integrator writes, per API key: claimed (`running`, until
 * `locked_until`) before the write, and made `done` with the answer in the write's own
 * transaction or statement, so that a committed write always has its answer stored.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    apiKeyId: text('api_key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    // SHA-256 of the method, the path and the body: the same key with another request is refused.
    requestHash: text('request_hash').notNull(),
    status: text('status').$type<'running' | 'done'>().notNull(),
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
)

export const categories = pgTable(
  'categories',
  {
    id: text('id').primaryKey(),
    storeId: storeRef(),
    name: text('name').notNull(),
    description: text('description'),
    ...resourceTimes(),
  },
  (t) => [index('categories_store_id_idx').on(t.storeId, t.id), index('categories_store_updated_idx').on(t.storeId, t.updatedAt)],
)

export const products = pgTable(
  'products',
  {
    id: text('id').primaryKey(),
    storeId: storeRef(),
    categoryId: text('category_id').references(() => categories.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    description: text('description'),
    sku: text('sku'),
    // Minor units; bigint because prices up to 10^11 times quantities overflow 32 bits.
    price: bigint('price', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    // null: stock is not tracked.
    stock: integer('stock'),
    active: boolean('active').notNull().default(true),
    ...resourceTimes(),
  },
  (t) => [
    index('products_store_id_idx').on(t.storeId, t.id),
    index('products_store_updated_idx').on(t.storeId, t.updatedAt),
    uniqueIndex('products_store_sku_idx').on(t.storeId, t.sku),
  ],
)

export const customers = pgTable(
  'customers',
  {
    id: text('id').primaryKey(),
    storeId: storeRef(),
    // Stored lower-cased; unique within the store.
    email: text('email').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    phone: text('phone'),
    ...resourceTimes(),
  },
  (t) => [
    index('customers_store_id_idx').on(t.storeId, t.id),
    index('customers_store_updated_idx').on(t.storeId, t.updatedAt),
    uniqueIndex('customers_store_email_idx').on(t.storeId, t.email),
  ],
)

export const orders = pgTable(
  'orders',
  {
    id: text('id').primaryKey(),
    storeId: storeRef(),
    number: integer('number').notNull(),
    customerId: text('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    status: text('status').$type<OrderStatus>().notNull(),
    currency: text('currency').notNull(),
    // A snapshot of name, sku and price at order time: later product edits do not rewrite history.
    lineItems: jsonb('line_items').$type<LineItem[]>().notNull(),
    subtotal: bigint('subtotal', { mode: 'number' }).notNull(),
    total: bigint('total', { mode: 'number' }).notNull(),
    note: text('note'),
    ...resourceTimes(),
  },
  (t) => [
    index('orders_store_id_idx').on(t.storeId, t.id),
    index('orders_store_updated_idx').on(t.storeId, t.updatedAt),
    uniqueIndex('orders_store_number_idx').on(t.storeId, t.number),
  ],
)

/** Every change an integrator can subscribe to, written in the same transaction as the change. */
export const events = pgTable(
  'events',
  {
    id: text('id').primaryKey(),
    storeId: storeRef(),
    type: text('type').$type<EventType>().notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  // The feed pages a store's events by id (ids sort by time); `created_since` starts by time.
  (t) => [index('events_store_created_idx').on(t.storeId, t.createdAt), index('events_store_id_idx').on(t.storeId, t.id)],
)

export const webhooks = pgTable(
  'webhooks',
  {
    id: text('id').primaryKey(),
    storeId: storeRef(),
    url: text('url').notNull(),
    // One or more, in the order of the event catalogue; an event reaches every webhook listing it.
    events: text('events').array().$type<EventType[]>().notNull(),
    // The single event of the previous release, kept (no longer written) so that instances still
    // running it keep working during a rolling upgrade; a later migration drops it.
    event: text('event').$type<EventType>(),
    status: text('status').$type<WebhookStatus>().notNull().default('active'),
    disabledReason: text('disabled_reason'),
    // AES-256-GCM under SECRET_KEY: the signing secret must be usable, so it cannot be hashed.
    secretCiphertext: text('secret_ciphertext').notNull(),
    secretLast4: text('secret_last4').notNull(),
    // After a rotation, deliveries are signed with both secrets until this time.
    previousSecretCiphertext: text('previous_secret_ciphertext'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true, mode: 'date' }),
    // First failure of the current unbroken run of failures; cleared by any success, and
    // restarted when the previous failure is older than the retry horizon (a quiet gap).
    failingSince: timestamp('failing_since', { withTimezone: true, mode: 'date' }),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('webhooks_store_idx').on(t.storeId), check('webhooks_events_not_empty', sql`cardinality(${t.events}) > 0`)],
)

/** One event for one webhook: a message, retried under the same `webhook-id` until it succeeds or fails. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    webhookId: text('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    storeId: storeRef(),
    messageId: text('message_id').notNull(),
    eventId: text('event_id'),
    eventType: text('event_type').$type<EventType>().notNull(),
    // The body sent: { type, timestamp, data }.
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<DeliveryStatus>().notNull(),
    isTest: boolean('is_test').notNull().default(false),
    attemptCount: integer('attempt_count').notNull().default(0),
    // Attempts it may make in all, counting every claim (recorded or not): the retry
    // schedule's length, or one more than already made after a redelivery or replay.
    maxAttempts: integer('max_attempts').notNull().default(RETRY_SCHEDULE_SECONDS.length),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    // Set while an attempt is in flight: another run of the same delivery leaves it
    // alone until then (a run cut off by a crash lets it go when this time passes).
    claimedUntil: timestamp('claimed_until', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.id),
    index('webhook_deliveries_webhook_status_idx').on(t.webhookId, t.status, t.createdAt),
  ],
)

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    requestHeaders: jsonb('request_headers').$type<Record<string, string>>().notNull(),
    requestBody: text('request_body').notNull(),
    statusCode: integer('status_code'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>().notNull().default({}),
    responseBody: text('response_body').notNull().default(''),
    responseTruncated: boolean('response_truncated').notNull().default(false),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.number] })],
)

/** Live delivery workers; jobs locked by a worker that stopped beating are handed back to the queue. */
export const workerHeartbeats = pgTable('worker_heartbeats', {
  workerId: text('worker_id').primaryKey(),
  lastSeen: timestamp('last_seen', { withTimezone: true, mode: 'date' }).notNull(),
})

export type AdminRow = InferSelectModel<typeof admins>
export type StoreRow = InferSelectModel<typeof stores>
export type ApiKeyRow = InferSelectModel<typeof apiKeys>
export type AuditRow = InferSelectModel<typeof auditLog>
export type CategoryRow = InferSelectModel<typeof categories>
export type ProductRow = InferSelectModel<typeof products>
export type CustomerRow = InferSelectModel<typeof customers>
export type OrderRow = InferSelectModel<typeof orders>
export type EventRow = InferSelectModel<typeof events>
export type WebhookRow = InferSelectModel<typeof webhooks>
export type DeliveryRow = InferSelectModel<typeof webhookDeliveries>
export type AttemptRow = InferSelectModel<typeof webhookAttempts>
