import {
  inCatalogueOrder,
  type EventType,
  type CreateWebhookBody,
  type CreatedWebhook,
  type Delivery,
  type DeliveryList,
  type DeliveryQuery,
  type ReplayBody,
  type TestDeliveryResult,
  type UpdateWebhookBody,
  type Webhook,
  type WebhookSecret,
} from '@deskflow/shared'
import type { Db } from '../../db'
import type { AttemptRow, DeliveryRow, WebhookRow } from '../../db/schema'
import { AppError } from '../../lib/errors'
import { newId, newSortableId } from '../../lib/ids'
import type { Cursors } from '../../lib/cursor'
import { parseSince } from '../../lib/pagination'
import type { SecretBox } from '../../lib/secret-box'
import type { Actor } from '../../http/auth'
import type { AuditService } from '../audit/service'
import type { SecretReveal } from '../audit/secret-reveal'
import type { NewDelivery, WebhookChanges, WebhooksRepo } from './repo'
import { recordWithFallback, type Deliverer } from './deliver'
import type { Outcome } from './sender'
import type { WebhookSettings } from './retry'
import { sampleData } from './samples'
import { generateWebhookSecret } from './signing'
import { checkUrlSyntax, resolvePublic } from './ssrf'
import { isForeignKeyViolation } from '../../lib/pg-errors'

const ROTATION_OVERLAP_MS = 24 * 3600_000

function presentDelivery(row: DeliveryRow, attempts: AttemptRow[]): Delivery {
  return {
    id: row.id,
    messageId: row.messageId,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status,
    test: row.isTest,
    attemptCount: row.attemptCount,
    nextAttemptAt: row.status === 'pending' ? (row.nextAttemptAt?.toISOString() ?? null) : null,
    payload: row.payload,
    attempts: attempts.map((a) => ({
      number: a.number,
      at: a.at.toISOString(),
      requestHeaders: a.requestHeaders,
      requestBody: a.requestBody,
      statusCode: a.statusCode,
      responseHeaders: a.responseHeaders,
      responseBody: a.responseBody,
      responseTruncated: a.responseTruncated,
      durationMs: a.durationMs,
      error: a.error,
    })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export function createWebhooksService(deps: {
  db: Db
  repo: WebhooksRepo
  box: SecretBox
  /** Signs and sends Send Dummy tests as deliveries are sent. */
  deliverer: Pick<Deliverer, 'send'>
  audit: Pick<AuditService, 'record'>
  secretReveal: Pick<SecretReveal, 'confirm'>
  settings: WebhookSettings
  /** A Send Dummy result that could not be written to the delivery log (the answer is still returned). */
  onRecordError?: (err: unknown) => void
  cursors: Cursors
}) {
  const { db, repo, box, audit, settings } = deps
  const notFound = () => AppError.notFound('Webhook')

  function present(row: WebhookRow, last?: DeliveryRow, held = 0, now = new Date()): Webhook {
    return {
      id: row.id,
      url: row.url,
      events: row.events,
      status: row.status,
      disabledReason: row.status === 'disabled' ? row.disabledReason : null,
      secretLast4: row.secretLast4,
      previousSecretExpiresAt:
        row.previousSecretExpiresAt && row.previousSecretExpiresAt > now ? row.previousSecretExpiresAt.toISOString() : null,
      failingSince: row.failingSince?.toISOString() ?? null,
      lastDelivery: last
        ? {
            at: last.updatedAt.toISOString(),
            ok: last.status === 'succeeded',
            statusCode: last.lastStatusCode,
            error: last.status === 'succeeded' ? null : last.lastError,
          }
        : null,
      heldCount: held,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    }
  }

  async function presentOne(row: WebhookRow): Promise<Webhook> {
    const { last, held } = await repo.summaries([row.id])
    return present(row, last.get(row.id), held.get(row.id) ?? 0)
  }

  async function requireWebhook(storeId: string, id: string): Promise<WebhookRow> {
    const row = await repo.find(storeId, id)
    if (!row) throw notFound()
    return row
  }

  /** Shape, scheme and address now; the address is checked again at every connect. */
  async function cleanUrl(raw: string): Promise<string> {
    const checked = checkUrlSyntax(raw, settings)
    if ('problem' in checked) throw AppError.invalidField('url', checked.problem)
    try {
      await resolvePublic(checked.url.hostname, settings.allowPrivate)
    } catch (err) {
      // A name that does not resolve yet may be fine later; a private answer is not.
      if ((err as { code?: string }).code === 'EBLOCKED') throw AppError.invalidField('url', (err as Error).message)
    }
    return checked.url.toString()
  }

  /**
   * One delivery sent again under its webhook-id, as an admin asks: `redeliver` queues a
   * delivery that is over (succeeded or failed) as new, `retryNow` brings forward the next
   * attempt of one still being retried. What each accepts, how it changes the row and what the
   * audit log calls it is all that differs.
   */
  const SEND_AGAIN = {
    redeliver: {
      refusal: (current: DeliveryRow) =>
        current.isTest
          ? 'A Send Dummy test is not redelivered; send a new one instead'
          : current.status === 'pending'
            ? 'This delivery is already queued or being sent'
            : undefined,
      write: repo.requeue,
      action: 'webhook.redelivered',
    },
    retryNow: {
      refusal: (current: DeliveryRow) =>
        current.isTest
          ? 'A Send Dummy test is not retried; send a new one instead'
          : current.status === 'held'
            ? 'This delivery is held while the webhook is paused; resume the webhook and send the held events'
            : current.status !== 'pending'
              ? 'Only a delivery waiting for its next attempt can be retried now; redeliver this one instead'
              : current.claimedUntil && current.claimedUntil > new Date()
                ? 'This delivery is being sent right now'
                : undefined,
      write: repo.retryNow,
      action: 'webhook.retried',
    },
  } as const

  async function sendAgain(
    mode: keyof typeof SEND_AGAIN,
    storeId: string,
    id: string,
    deliveryId: string,
    actor: Actor,
  ): Promise<Delivery> {
    const { refusal, write, action } = SEND_AGAIN[mode]
    const row = await requireWebhook(storeId, id)
    const delivery = await db.transaction(async (tx) => {
      const current = await repo.findDelivery(row.id, deliveryId, tx, true)
      if (!current) throw AppError.notFound('Delivery')
      const refused = refusal(current)
      if (refused) throw new AppError('conflict', refused)
      const updated = await write(row.id, current.id, tx)
      if (!updated) throw AppError.notFound('Delivery')
      await audit.record(tx, { storeId, actor, action, target: { type: 'webhook', id }, metadata: { deliveryId } })
      return updated
    })
    return presentDelivery(delivery, await repo.attemptsOf([delivery.id]))
  }

  const { send } = deps.deliverer

  /** A Send Dummy test in the log, sent already: nothing is written when the webhook was deleted meanwhile. */
  async function recordTest(
    storeId: string,
    actor: Actor,
    delivery: Pick<DeliveryRow, 'id' | 'messageId' | 'eventType' | 'payload'>,
    o: Outcome,
  ) {
    const { result } = o
    try {
      await db.transaction(async (tx) => {
        const sent: NewDelivery = {
          ...delivery,
          webhookId: o.webhookId,
          storeId,
          eventId: null,
          status: result.ok ? 'succeeded' : 'failed',
          isTest: true,
          attemptCount: 1,
          maxAttempts: 1,
          lastStatusCode: result.statusCode,
          lastError: result.error,
        }
        await repo.insertSentDelivery(sent, o, tx)
        const metadata = { statusCode: result.statusCode, ok: result.ok }
        await audit.record(tx, { storeId, actor, action: 'webhook.tested', target: { type: 'webhook', id: o.webhookId }, metadata })
      })
    } catch (err) {
      if (!isForeignKeyViolation(err)) throw err
    }
  }
  return {
    async list(storeId: string): Promise<Webhook[]> {
      const rows = await repo.listByStore(storeId)
      const { last, held } = await repo.summaries(rows.map((r) => r.id))
      const now = new Date()
      return rows.map((r) => present(r, last.get(r.id), held.get(r.id) ?? 0, now))
    },

    async get(storeId: string, id: string): Promise<Webhook> {
      return presentOne(await requireWebhook(storeId, id))
    },

    async create(storeId: string, actor: Actor, body: CreateWebhookBody): Promise<CreatedWebhook> {
      const url = await cleanUrl(body.url)
      const secret = generateWebhookSecret()
      const row = await db.transaction(async (tx) => {
        const created = await repo.insert(
          {
            id: newId('wh'),
            storeId,
            url,
            events: inCatalogueOrder(body.events),
            secretCiphertext: box.encrypt(secret),
            secretLast4: secret.slice(-4),
          },
          tx,
        )
        await audit.record(tx, {
          storeId,
          actor,
          action: 'webhook.created',
          target: { type: 'webhook', id: created.id },
          metadata: { url, events: inCatalogueOrder(body.events) },
        })
        return created
      })
      return { ...present(row), secret }
    },

    async update(storeId: string, id: string, actor: Actor, body: UpdateWebhookBody): Promise<Webhook> {
      const changes: WebhookChanges = {
        ...(body.url !== undefined && { url: await cleanUrl(body.url) }),
        ...(body.events !== undefined && { events: inCatalogueOrder(body.events) }),
        ...(body.status !== undefined && { status: body.status }),
        // Resuming (or re-enabling) starts a fresh failure count.
        ...(body.status === 'active' && { disabledReason: null, failingSince: null }),
      }
      const row = await db.transaction(async (tx) => {
        // Locked: a concurrent edit waits, and one that follows a delete finds nothing.
        const before = await repo.find(storeId, id, tx, true)
        if (!before) throw notFound()
        const after = await repo.update(id, changes, tx)
        if (!after) throw notFound()
        const metadata = {
          before: { url: before.url, events: before.events, status: before.status },
          after: { url: after.url, events: after.events, status: after.status },
        }
        await audit.record(tx, { storeId, actor, action: 'webhook.updated', target: { type: 'webhook', id }, metadata })
        return after
      })
      return presentOne(row)
    },

    async remove(storeId: string, id: string, actor: Actor): Promise<void> {
      await db.transaction(async (tx) => {
        const row = await repo.remove(storeId, id, tx)
        if (!row) throw notFound()
        await audit.record(tx, {
          storeId,
          actor,
          action: 'webhook.deleted',
          target: { type: 'webhook', id },
          metadata: { url: row.url, events: row.events },
        })
      })
    },

    async revealSecret(storeId: string, id: string, actor: Actor, password: string): Promise<WebhookSecret> {
      const row = await requireWebhook(storeId, id)
      await deps.secretReveal.confirm({ storeId, actor, target: { type: 'webhook', id }, password })
      return { id, secret: box.decrypt(row.secretCiphertext), previousSecretExpiresAt: present(row).previousSecretExpiresAt }
    },

    /** A new secret; the old one keeps signing (alongside) for 24 hours. */
    async rotateSecret(storeId: string, id: string, actor: Actor): Promise<WebhookSecret> {
      const secret = generateWebhookSecret()
      const expires = new Date(Date.now() + ROTATION_OVERLAP_MS)
      await db.transaction(async (tx) => {
        const rotation = {
          storeId,
          id,
          secretCiphertext: box.encrypt(secret),
          secretLast4: secret.slice(-4),
          previousSecretExpiresAt: expires,
        }
        if (!(await repo.rotateSecret(rotation, tx))) throw notFound()
        await audit.record(tx, { storeId, actor, action: 'webhook.secret_rotated', target: { type: 'webhook', id } })
      })
      return { id, secret, previousSecretExpiresAt: expires.toISOString() }
    },

    /** "Send Dummy": a realistic signed sample of one of the webhook's events, now, recorded as a test. */
    async sendTest(storeId: string, id: string, actor: Actor, chosen?: EventType): Promise<TestDeliveryResult> {
      const row = await requireWebhook(storeId, id)
      if (chosen !== undefined && !row.events.includes(chosen))
        throw AppError.invalidField('event', `this webhook receives ${row.events.join(', ')}; choose one of them`)
      const event = chosen ?? row.events[0]!
      const delivery = {
        id: newSortableId('whd'),
        messageId: newSortableId('msg'),
        eventType: event,
        // A test has an event id of its own, which names no stored event.
        payload: { id: newSortableId('evt'), type: event, timestamp: new Date().toISOString(), data: sampleData(event) },
      }
      const { at, body, headers, result } = await send(row, delivery)
      const outcome: Outcome = { deliveryId: delivery.id, webhookId: row.id, number: 1, maxAttempts: 1, at, headers, body, result }
      try {
        await recordWithFallback(outcome, (o) => recordTest(storeId, actor, delivery, o))
      } catch (err) {
        // The test was sent: what the receiver answered is worth more to the admin than an error.
        deps.onRecordError?.(err)
      }
      const { retryAfterSeconds: _retryAfter, ...answer } = result
      return { deliveryId: delivery.id, ...answer, request: { url: row.url, headers, body } }
    },

    async listDeliveries(storeId: string, id: string, query: DeliveryQuery): Promise<DeliveryList> {
      const row = await requireWebhook(storeId, id)
      const limit = query.limit ?? 20
      const list = `whd:${row.id}`
      const beforeId = query.cursor ? deps.cursors.decode(list, query.cursor) : undefined
      const rows = await repo.deliveries({ webhookId: row.id, limit: limit + 1, beforeId, status: query.status })
      const page = rows.slice(0, limit)
      const attempts = await repo.attemptsOf(page.map((d) => d.id))
      const data = page.map((d) =>
        presentDelivery(
          d,
          attempts.filter((a) => a.deliveryId === d.id),
        ),
      )
      return { data, nextCursor: rows.length > limit ? deps.cursors.encode(list, page.at(-1)!.id) : null }
    },

    /** Queues one delivery again, under its original webhook-id. */
    redeliver: (storeId: string, id: string, deliveryId: string, actor: Actor) => sendAgain('redeliver', storeId, id, deliveryId, actor),

    /**
     * "Retry now": a delivery waiting for its next attempt (the endpoint is fixed) is sent
     * at once instead of at its scheduled time, under its webhook-id, its attempts kept.
     */
    retryNow: (storeId: string, id: string, deliveryId: string, actor: Actor) => sendAgain('retryNow', storeId, id, deliveryId, actor),

    /** Queues every failed (and/or held) delivery created since a time. */
    async replay(storeId: string, id: string, actor: Actor, body: ReplayBody): Promise<{ queued: number }> {
      const row = await requireWebhook(storeId, id)
      const include = body.include ?? ['failed', 'held']
      return db.transaction(async (tx) => {
        const queued = await repo.requeueSince({ webhookId: row.id, include, since: parseSince('since', body.since) }, tx)
        await audit.record(tx, {
          storeId,
          actor,
          action: 'webhook.replayed',
          target: { type: 'webhook', id },
          metadata: { since: body.since, include, queued },
        })
        return { queued }
      })
    },
  }
}

export type WebhooksService = ReturnType<typeof createWebhooksService>
