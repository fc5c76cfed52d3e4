import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'
import type { InferSelectModel } from 'drizzle-orm'
import type { Permission } from '@deskflow/shared'

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()

export const admins = pgTable('admins', {
  id: text('id').primaryKey(),
  // Stored lower-cased; sign-in compares lower-cased.
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  createdAt: createdAt(),
})

export const stores = pgTable('stores', {
  id: text('id').primaryKey(),
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  createdAt: createdAt(),
})

export const storeMembers = pgTable(
  'store_members',
  {
    storeId: text('store_id').notNull().references(() => stores.id, { onDelete: 'cascade' }),
    adminId: text('admin_id').notNull().references(() => admins.id, { onDelete: 'cascade' }),
    role: text('role').notNull().default('owner'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.adminId] }), index('store_members_admin_idx').on(t.adminId)],
)

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull().references(() => stores.id, { onDelete: 'cascade' }),
    description: text('description').notNull(),
    // The public identifier (`dfk_…`); looked up on every integrator request.
    key: text('key').notNull().unique(),
    // HMAC-SHA256 of the secret under a subkey of SECRET_KEY; never the secret itself.
    secretHash: text('secret_hash').notNull(),
    // AES-256-GCM of the secret, only for the password-confirmed reveal.
    secretCiphertext: text('secret_ciphertext').notNull(),
    secretLast4: text('secret_last4').notNull(),
    permissions: text('permissions').array().$type<Permission[]>().notNull().default([]),
    activated: boolean('activated').notNull().default(true),
    // After a regeneration with a grace period, the old secret still verifies until this time.
    previousSecretHash: text('previous_secret_hash'),
    previousSecretValidUntil: timestamp('previous_secret_valid_until', { withTimezone: true, mode: 'date' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('api_keys_store_idx').on(t.storeId, t.createdAt)],
)

export const auditLog = pgTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull().references(() => stores.id, { onDelete: 'cascade' }),
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

export type AdminRow = InferSelectModel<typeof admins>
export type StoreRow = InferSelectModel<typeof stores>
export type ApiKeyRow = InferSelectModel<typeof apiKeys>
export type AuditRow = InferSelectModel<typeof auditLog>
