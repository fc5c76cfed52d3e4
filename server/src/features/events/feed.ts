import { and, asc, eq, gt, gte, inArray, lt, sql } from 'drizzle-orm'
import { EVENT_TYPES, eventParts, permissionsOf, type EventQuery, type EventType, type Permission } from '@deskflow/shared'
import type { Db } from '../../db'
import { events, type EventRow } from '../../db/schema'
import { AppError } from '../../lib/errors'
import type { Cursors } from '../../lib/cursor'
import { sortableIdTime } from '../../lib/ids'
import { parseSince, sinceOrNull, toPage } from '../../lib/pagination'
import { keyCheckParams, type PresentedKey } from '../api-keys/key-check'
import { checkedAnswer, createCheckedStatements, servedWithoutAllowlist, type CheckedAnswer } from '../api-keys/checked-read'

/** The permission that lets a key see events of this type: the read permission of its resource. */
export const eventPermission = (type: EventType): Permission => permissionsOf(eventParts(type).resource).read

/** The event types a key with these permissions may see. */
export const visibleTypes = (permissions: readonly Permission[]): EventType[] =>
  EVENT_TYPES.filter((type) => permissions.includes(eventPermission(type)))

/** An event as webhooks deliver it: `{ id, type, timestamp, data }`. */
function present(row: Pick<EventRow, 'id' | 'type' | 'data' | 'createdAt'>) {
  return { id: row.id, type: row.type, timestamp: row.createdAt.toISOString(), data: row.data }
}

/** A read of the feed by a key its statement checks (see `createCheckedStatements`). */
export interface EventAccess {
  presented: PresentedKey
  /** False for a key that is most likely refused (`KeyAdmission.expectsRows`): its row is read alone. */
  readRows?: boolean
}

type EventPage = { data: ReturnType<typeof present>[]; nextCursor: string | null }

// Bound as text, as the checked lists' (catalog/checked-read.ts).
const EPOCH = new Date(0).toISOString()

/**
 * The events feed: a store's events, oldest first, each visible only to a key that may
 * read its resource; and the pruning of events past their retention.
 */
export function createEventFeed(db: Db, cursors: Cursors) {
  const listName = (storeId: string) => `evt:${storeId}`

  // The feed read with its key in one statement. Of the types asked for, the database
  // keeps those whose read permission the key holds (computed once per statement, from
  // the key's row), so a key never reads an event it may not see.
  const statements = createCheckedStatements(db, events)
  const visible = sql`array(select m.type from unnest(${sql.placeholder('types')}::text[], ${sql.placeholder('typePermissions')}::text[]) m(type, permission) where m.permission = any(k.permissions))`
  const listChecked = statements.prepare('list_events_checked', {
    served: servedWithoutAllowlist,
    where: sql`${events.type} = any(${visible}) and ${events.id} > ${sql.placeholder('afterId')} and ${events.createdAt} >= ${sql.placeholder('since')}`,
    limit: sql`limit ${sql.placeholder('limit')}`,
  })
  // Of any type: an event the key may not see is a 403 naming the permission, after the key is accepted.
  const findChecked = statements.prepare('find_event_checked', {
    served: servedWithoutAllowlist,
    where: sql`${events.id} = ${sql.placeholder('id')}`,
  })

  const feed = {
    async list(storeId: string, permissions: readonly Permission[], query: EventQuery) {
      const types = query.type ? [query.type] : visibleTypes(permissions)
      const limit = query.limit ?? 20
      const rows = await db
        .select({ id: events.id, type: events.type, data: events.data, createdAt: events.createdAt })
        .from(events)
        .where(
          and(
            eq(events.storeId, storeId),
            inArray(events.type, types),
            query.cursor ? gt(events.id, cursors.decode(listName(storeId), query.cursor)) : undefined,
            query.created_since ? gte(events.createdAt, parseSince('created_since', query.created_since)) : undefined,
          ),
        )
        .orderBy(asc(events.id))
        .limit(limit + 1)
      return toPage(rows, limit, present, (id) => cursors.encode(listName(storeId), id))
    },

    /** One event of the store; `permissions` must let the key see its type. */
    async get(storeId: string, permissions: readonly Permission[], id: string) {
      const [row] = await db
        .select({ id: events.id, type: events.type, data: events.data, createdAt: events.createdAt })
        .from(events)
        .where(and(eq(events.storeId, storeId), eq(events.id, id)))
      return visibleEvent(row, permissions)
    },

    /**
     * `list` with the key checked in the same statement. Input that cannot be read (`null`
     * after a failed validation, a malformed cursor or time) checks the key alone: the 422
     * comes after the key's refusals, as on every route.
     */
    async listChecked(access: EventAccess, query: EventQuery | null): Promise<CheckedAnswer<EventPage>> {
      const limit = query?.limit ?? 20
      const afterId = query?.cursor ? cursors.peek(query.cursor) : undefined
      const since = query?.created_since ? sinceOrNull(query.created_since) : undefined
      const types = query?.type ? [query.type] : EVENT_TYPES
      const read =
        query !== null && afterId !== null && since !== null && access.readRows !== false
          ? await listChecked({
              ...keyCheckParams(access.presented),
              types,
              typePermissions: types.map(eventPermission),
              afterId: afterId ?? '',
              since: since?.toISOString() ?? EPOCH,
              limit: limit + 1,
            })
          : await statements.keyOnly(access.presented)
      return checkedAnswer(read, async (storeId) => {
        if (!query) throw new Error('answer() of a read whose input failed validation')
        // decode and parseSince verify and name the field; peek only said the text was well formed.
        if (query.cursor) cursors.decode(listName(storeId), query.cursor)
        if (query.created_since) parseSince('created_since', query.created_since)
        // Not read for an accepted key: it has an address allowlist, or looked likely to be refused.
        if (!read.served) return feed.list(storeId, read.key!.permissions, query)
        return toPage(read.rows, limit, present, (id) => cursors.encode(listName(storeId), id))
      })
    },

    /** `get` with the key checked in the same statement; `id` '' (it failed validation) checks the key alone. */
    async getChecked(access: EventAccess, id: string): Promise<CheckedAnswer<ReturnType<typeof present>>> {
      const read =
        access.readRows !== false && id !== ''
          ? await findChecked({ ...keyCheckParams(access.presented), id })
          : await statements.keyOnly(access.presented)
      return checkedAnswer(read, async (storeId) => {
        if (!read.served) return feed.get(storeId, read.key!.permissions, id)
        return visibleEvent(read.rows[0], read.key!.permissions)
      })
    },

    /**
     * Deletes events recorded before `before`, in batches; the number deleted. Event ids
     * sort by their time, so the primary key finds them (ids made before `before` sort
     * below `evt_<its time part>`).
     */
    async prune(before: Date, batch = 5000): Promise<number> {
      const bound = `evt_${sortableIdTime(before.getTime())}`
      let total = 0
      for (;;) {
        const result = await db.execute(
          sql`delete from ${events} where id in (select id from ${events} where ${lt(events.id, bound)} order by id limit ${batch})`,
        )
        total += result.rowCount ?? 0
        if ((result.rowCount ?? 0) < batch) return total
      }
    },
  }
  return feed
}

/** The event as the feed answers it: 404 when there is none, 403 naming the permission its type needs. */
function visibleEvent(row: Pick<EventRow, 'id' | 'type' | 'data' | 'createdAt'> | undefined, permissions: readonly Permission[]) {
  if (!row) throw AppError.notFound('Event')
  const needed = eventPermission(row.type)
  if (!permissions.includes(needed)) throw new AppError('forbidden', `This API key lacks a permission: requires ${needed}`)
  return present(row)
}

export type EventFeed = ReturnType<typeof createEventFeed>
