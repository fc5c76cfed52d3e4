import { and, asc, eq, gt, gte, inArray, lt, sql } from 'drizzle-orm'
import { EVENT_TYPES, eventParts, permissionsOf, type EventQuery, type EventType, type Permission } from '@deskflow/shared'
import type { Db } from '../../db'
import { events, type EventRow } from '../../db/schema'
import { AppError } from '../../lib/errors'
import type { Cursors } from '../../lib/cursor'
import { sortableIdTime } from '../../lib/ids'
import { parseSince, toPage } from '../../lib/pagination'

/** The permission that lets a key see events of this type: the read permission of its resource. */
export const eventPermission = (type: EventType): Permission => permissionsOf(eventParts(type).resource).read

/** The event types a key with these permissions may see. */
export const visibleTypes = (permissions: readonly Permission[]): EventType[] =>
  EVENT_TYPES.filter((type) => permissions.includes(eventPermission(type)))

/** An event as webhooks deliver it: `{ id, type, timestamp, data }`. */
function present(row: Pick<EventRow, 'id' | 'type' | 'data' | 'createdAt'>) {
  return { id: row.id, type: row.type, timestamp: row.createdAt.toISOString(), data: row.data }
}

/**
 * The events feed: a store's events, oldest first, each visible only to a key that may
 * read its resource; and the pruning of events past their retention.
 */
export function createEventFeed(db: Db, cursors: Cursors) {
  const listName = (storeId: string) => `evt:${storeId}`

  return {
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
      if (!row) throw AppError.notFound('Event')
      const needed = eventPermission(row.type)
      if (!permissions.includes(needed)) throw new AppError('forbidden', `This API key lacks a permission: requires ${needed}`)
      return present(row)
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
}

export type EventFeed = ReturnType<typeof createEventFeed>
