import type { EventType } from '@deskflow/shared'
import type { Tx } from '../../db'
import { sql } from 'drizzle-orm'
import { events } from '../../db/schema'
import { newSortableId } from '../../lib/ids'
import { fanOutStatement, subscribersOf, subscribersQuery, type Subscriber } from '../webhooks/queue'

/** An event type's subscribers, read by a caller that records the event later, after taking a lock. */
export { subscribersOf }

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
  /** The event type's subscribers, when the caller has read them already. */
  subscribers?: Subscriber[]
}

/**
 * Records an event, and queues its webhook deliveries, inside the transaction of
 * the change that caused it: a rolled back change leaves no event and sends
 * nothing; a committed one always has its event and its deliveries.
 */
export async function recordEvent(tx: Tx, { storeId, type, data, subscribers }: EventInput): Promise<RecordedEvent> {
  const now = new Date()
  const event: RecordedEvent = {
    id: newSortableId('evt', now.getTime()),
    type,
    timestamp: now.toISOString(),
    data: data as Record<string, unknown>,
  }
  const recorded = sql`recorded_event as (
    insert into ${events} (id, store_id, type, data, created_at)
    values (${event.id}, ${storeId}, ${type}, ${JSON.stringify(event.data)}::jsonb, ${event.timestamp}::timestamptz))`
  // Subscribers read by the caller (before it took a lock) let the event, its deliveries
  // and their jobs go in one statement; otherwise the event's insert also reads them.
  const recordedFirst = subscribers === undefined
  const known = subscribers ?? (await tx.execute<Subscriber>(sql`with ${recorded} ${subscribersQuery(storeId, type)}`)).rows
  const { ctes, final } = fanOutStatement(storeId, event, known)
  const parts = recordedFirst ? ctes : [recorded, ...ctes]
  if (parts.length > 0) await tx.execute(sql`with ${sql.join(parts, sql`, `)} ${final}`)
  return event
}
