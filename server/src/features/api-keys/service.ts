import { sql } from 'drizzle-orm'
import {
  API_KEYS_PAGE_SIZE,
  GRACE_PERIODS,
  type ApiKey,
  type ApiKeyList,
  type ApiKeyQuery,
  type CreateApiKeyBody,
  type CreatedApiKey,
  type GracePeriod,
  type RegeneratedSecret,
  type RevealedSecret,
  type UpdateApiKeyBody,
} from '@deskflow/shared'
import type { Db } from '../../db'
import type { ApiKeyRow } from '../../db/schema'
import { AppError } from '../../lib/errors'
import { newId } from '../../lib/ids'
import type { SecretBox } from '../../lib/secret-box'
import type { Actor } from '../../http/auth'
import type { AuditService } from '../audit/service'
import type { SecretReveal } from '../audit/secret-reveal'
import type { ApiKeysRepo } from './repo'
import { generateKey, generateSecret } from './credentials'
import { normalizeCidr } from '../../lib/ip-allowlist'
import { parseSince, toPage } from '../../lib/pagination'
import type { Cursors } from '../../lib/cursor'
import type { FastifyBaseLogger } from 'fastify'
import { waitForWritesInFlight } from './write-key-check'

export function toApiKey(row: ApiKeyRow, now = new Date()): ApiKey {
  const graceActive = row.previousSecretValidUntil !== null && row.previousSecretValidUntil > now
  return {
    id: row.id,
    description: row.description,
    key: row.key,
    secretLast4: row.secretLast4,
    permissions: row.permissions,
    activated: row.activated,
    previousSecretExpiresAt: graceActive ? row.previousSecretValidUntil!.toISOString() : null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    allowedIps: row.allowedIps,
    rateLimitPerMinute: row.rateLimitPerMinute,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: row.lastUsedIp,
    secretCreatedAt: row.secretCreatedAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** Trimmed description; the schema already bounds the raw length. */
function cleanDescription(description: string): string {
  const trimmed = description.trim()
  if (trimmed.length === 0) throw AppError.invalidField('description', 'must not be blank')
  return trimmed
}

/** Sorted and de-duplicated, so what is stored does not depend on click order. */
function cleanPermissions<T extends string>(permissions: readonly T[]): T[] {
  return [...new Set(permissions)].sort()
}

function cleanAllowedIps(entries: readonly string[]): string[] {
  const ranges = entries.map((entry, i) => {
    const range = normalizeCidr(entry)
    if (!range) throw AppError.invalidField(`allowedIps.${i}`, `"${entry}" is not an IP address or CIDR range`)
    return range
  })
  return [...new Set(ranges)]
}

/** A new expiry must lie in the future; `null` removes it. */
function cleanExpiresAt(value: string | null): Date | null {
  if (value === null) return null
  const date = parseSince('expiresAt', value)
  if (date.getTime() <= Date.now()) throw AppError.invalidField('expiresAt', 'must be in the future')
  return date
}

/** The optional access settings shared by create and update, validated and normalized. */
function accessSettings(input: { expiresAt?: string | null; allowedIps?: string[]; rateLimitPerMinute?: number }) {
  return {
    ...(input.expiresAt !== undefined && { expiresAt: cleanExpiresAt(input.expiresAt) }),
    ...(input.allowedIps !== undefined && { allowedIps: cleanAllowedIps(input.allowedIps) }),
    ...(input.rateLimitPerMinute !== undefined && { rateLimitPerMinute: input.rateLimitPerMinute }),
  }
}

function accessSnapshot(row: ApiKeyRow) {
  return {
    description: row.description,
    permissions: row.permissions,
    activated: row.activated,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    allowedIps: row.allowedIps,
    rateLimitPerMinute: row.rateLimitPerMinute,
  }
}

function secretColumns(box: SecretBox, secret: string) {
  return { secretHash: box.hash(secret), secretCiphertext: box.encrypt(secret), secretLast4: secret.slice(-4) }
}

export function createApiKeysService(deps: {
  db: Db
  repo: ApiKeysRepo
  box: SecretBox
  audit: Pick<AuditService, 'record'>
  secretReveal: Pick<SecretReveal, 'confirm'>
  cursors: Cursors
  /** Where a change of a key says it answered before the writes in flight ended (`waitForWritesInFlight`). */
  log: Pick<FastifyBaseLogger, 'warn'>
}) {
  const { db, repo, box, audit, log } = deps

  async function requireKey(storeId: string, id: string): Promise<ApiKeyRow> {
    const row = await repo.findInStore(storeId, id)
    if (!row) throw AppError.notFound('API key')
    return row
  }

  return {
    /** Newest first, a page at a time; `search` matches the description (any case) or the key's beginning. */
    async list(storeId: string, query: ApiKeyQuery = {}): Promise<ApiKeyList> {
      const limit = query.limit ?? API_KEYS_PAGE_SIZE
      const list = `key:${storeId}`
      const afterId = query.cursor ? deps.cursors.decode(list, query.cursor) : undefined
      const search = query.search?.trim() || undefined
      const rows = await repo.listPage(storeId, { limit: limit + 1, afterId, search, review: query.review === true })
      // The key a cursor points after was deleted since: its place in the list is gone.
      if (afterId && rows.length === 0 && !(await repo.findInStore(storeId, afterId))) {
        throw AppError.invalidField('cursor', 'the key this page continued after was deleted; list again from the first page')
      }
      const now = new Date()
      return toPage(
        rows,
        limit,
        (row) => toApiKey(row, now),
        (id) => deps.cursors.encode(list, id),
      )
    },

    async get(storeId: string, id: string): Promise<ApiKey> {
      return toApiKey(await requireKey(storeId, id))
    },

    async create(storeId: string, actor: Actor, input: CreateApiKeyBody): Promise<CreatedApiKey> {
      const description = cleanDescription(input.description)
      const settings = accessSettings(input)
      const key = generateKey()
      const secret = generateSecret()
      const row = await db.transaction(async (tx) => {
        const created = await repo.insert(
          {
            id: newId('key'),
            storeId,
            description,
            key,
            ...secretColumns(box, secret),
            permissions: cleanPermissions(input.permissions ?? []),
            activated: input.activated ?? true,
            ...settings,
          },
          tx,
        )
        await audit.record(tx, {
          storeId,
          actor,
          action: 'api_key.created',
          target: { type: 'api_key', id: created.id },
          metadata: accessSnapshot(created),
        })
        return created
      })
      const { id, permissions, activated, expiresAt, allowedIps, rateLimitPerMinute } = toApiKey(row)
      return { id, description: row.description, key, secret, permissions, activated, expiresAt, allowedIps, rateLimitPerMinute }
    },

    async update(storeId: string, id: string, actor: Actor, input: UpdateApiKeyBody): Promise<ApiKey> {
      const changes = {
        ...(input.description !== undefined && { description: cleanDescription(input.description) }),
        ...(input.permissions !== undefined && { permissions: cleanPermissions(input.permissions) }),
        ...(input.activated !== undefined && { activated: input.activated }),
        ...accessSettings(input),
      }
      const row = await db.transaction(async (tx) => {
        // Locked: the audit entry's "before" is what this change replaced.
        await repo.lockChange(id, tx)
        const before = await repo.findInStore(storeId, id, tx, true)
        if (!before) throw AppError.notFound('API key')
        const after = await repo.update(storeId, id, changes, tx)
        if (!after) throw AppError.notFound('API key')
        const metadata = { before: accessSnapshot(before), after: accessSnapshot(after) }
        await audit.record(tx, { storeId, actor, action: 'api_key.updated', target: { type: 'api_key', id }, metadata })
        return after
      })
      // A change may take a permission away: the writes in flight with the key as it was end first.
      await waitForWritesInFlight(db, log)
      return toApiKey(row)
    },

    async remove(storeId: string, id: string, actor: Actor): Promise<void> {
      await db.transaction(async (tx) => {
        await repo.lockChange(id, tx)
        const removed = await repo.remove(storeId, id, tx)
        if (!removed) throw AppError.notFound('API key')
        const metadata = { description: removed.description, key: removed.key }
        await audit.record(tx, { storeId, actor, action: 'api_key.deleted', target: { type: 'api_key', id }, metadata })
      })
      await waitForWritesInFlight(db, log)
    },

    async reveal(storeId: string, id: string, actor: Actor, password: string): Promise<RevealedSecret> {
      const row = await requireKey(storeId, id)
      await deps.secretReveal.confirm({ storeId, actor, target: { type: 'api_key', id }, password })
      return { id: row.id, secret: box.decrypt(row.secretCiphertext) }
    },

    async regenerateSecret(storeId: string, id: string, actor: Actor, gracePeriod: GracePeriod): Promise<RegeneratedSecret> {
      const secret = generateSecret()
      const graceSeconds = GRACE_PERIODS[gracePeriod]
      const row = await db.transaction(async (tx) => {
        // A regeneration overlapping another change of the key is refused rather than
        // queued: two at once would hand out a secret the second replaces at once.
        if (!(await repo.lockChange(id, tx, false)))
          throw new AppError('conflict', 'This API key is being changed by another request; reload it and try again')
        const current = await repo.findInStore(storeId, id, tx, true)
        if (!current) throw AppError.notFound('API key')
        const validUntil = graceSeconds > 0 ? new Date(Date.now() + graceSeconds * 1000) : null
        const updated = await repo.update(
          storeId,
          id,
          {
            ...secretColumns(box, secret),
            // The database's clock, which the review filter compares it with.
            secretCreatedAt: sql`now()`,
            previousSecretHash: validUntil ? current.secretHash : null,
            previousSecretValidUntil: validUntil,
          },
          tx,
        )
        if (!updated) throw AppError.notFound('API key')
        await audit.record(tx, {
          storeId,
          actor,
          action: 'api_key.secret_regenerated',
          target: { type: 'api_key', id },
          metadata: { gracePeriod },
        })
        return updated
      })
      // Without a grace period the old secret is revoked: the writes in flight with it end first.
      await waitForWritesInFlight(db, log)
      return { id: row.id, secret, previousSecretExpiresAt: row.previousSecretValidUntil?.toISOString() ?? null }
    },
  }
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>
