import type { EventType } from '@deskflow/shared'
import type { Tx } from '../../db'
import { sql, type SQL } from 'drizzle-orm'
import { namedValues } from '../../db/array-rows'
import { events } from '../../db/schema'
import { newSortableId, sortableIdTime } from '../../lib/ids'
import { fanOutParts, type EventBinding } from '../webhooks/queue'

export interface RecordedEvent {
  id: string
  type: EventType
  timestamp: string
  data: Record<string, unknown>
}

export interface EventInput {
  storeId: string
  type: EventType
  data: object
}

/**
 * An event as parts of one statement: its insert and its fan-out (see `fanOutParts`) as
 * CTEs, and `jobs`, the expression of the final select that queues the deliveries. A
 * caller adds the change that caused the event as another CTE, so that the change, the
 * event, its deliveries and their jobs are one statement, one round trip, atomic.
 */
export function eventParts(e: EventBinding): { ctes: SQL[]; jobs: SQL } {
  const recorded = sql`recorded_event as (
    insert into ${events} (id, store_id, type, data, created_at)
    values (${e.id}::text, ${e.storeId}::text, ${e.type}::text, ${e.data}::jsonb, ${e.timestamp}::timestamptz))`
  const { cte, jobs } = fanOutParts(e)
  return { ctes: [recorded, cte], jobs }
}

/** A new event's id and time, and the values its statement binds. */
export function newEvent(
  storeId: string,
  type: EventType,
  data: object,
  now = new Date(),
): { event: RecordedEvent; binding: EventBinding } {
  const event: RecordedEvent = {
    id: newSortableId('evt', now.getTime()),
    type,
    timestamp: now.toISOString(),
    data: data as Record<string, unknown>,
  }
  const binding = {
    id: event.id,
    storeId,
    type,
    data: JSON.stringify(data),
    timestamp: event.timestamp,
    idTime: sortableIdTime(now.getTime()),
  }
  return { event, binding }
}

const EVENT_KEYS = ['id', 'storeId', 'type', 'data', 'timestamp', 'idTime'] as const

/** An event's values as placeholders of a prepared statement (`event.<key>`), and their values by those names. */
export const eventPlaceholders = Object.fromEntries(EVENT_KEYS.map((k) => [k, sql.placeholder(`event.${k}`)])) as unknown as EventBinding
export const eventValues: (binding: EventBinding) => Record<string, unknown> = namedValues('event.', EVENT_KEYS)

/**
 * Records an event, and queues its webhook deliveries, inside the transaction of
 * the change that caused it: a rolled back change leaves no event and sends
 * nothing; a committed one always has its event and its deliveries.
 */
export async function recordEvent(tx: Tx, { storeId, type, data }: EventInput): Promise<RecordedEvent> {
  const { event, binding } = newEvent(storeId, type, data)
  const { ctes, jobs } = eventParts(binding)
  await tx.execute(sql`with ${sql.join(ctes, sql`, `)} select ${jobs}`)
  return event
}
