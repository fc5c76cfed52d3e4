import type { EventType, WebhookStatus } from '@deskflow/shared'
import type { Tx } from '../../db'
import { sql } from 'drizzle-orm'
import { events } from '../../db/schema'
import { newSortableId } from '../../lib/ids'
import { fanOutStatement, subscribersQuery, type Subscriber } from '../webhooks/repo'

export interface RecordedEvent {
  id: string
  type: EventType
  timestamp: string
  data: Record<string, unknown>
}

/**
 * Records an event, and queues its webhook deliveries, inside the transaction of
 * the change that caused it: a rolled back change leaves no event and sends
 * nothing; a committed one always has its event and its deliveries.
 */
export async function recordEvent(tx: Tx, storeId: string, type: EventType, data: object, subscribers?: Subscriber[]): Promise<RecordedEvent> {
  const now = new Date()
  const event: RecordedEvent = { id: newSortableId('evt', now.getTime()), type, timestamp: now.toISOString(), data: data as Record<string, unknown> }
  const recorded = sql`recorded_event as (
    insert into ${events} (id, store_id, type, data, created_at)
    values (${event.id}, ${storeId}, ${type}, ${JSON.stringify(event.data)}::jsonb, ${event.timestamp}::timestamptz))`
  if (subscribers) {
    // Read by the caller before it took a lock: the event, its deliveries and their jobs in one statement.
    const { ctes, final } = fanOutStatement(storeId, event, subscribers)
    await tx.execute(sql`with ${sql.join([recorded, ...ctes], sql`, `)} ${final}`)
    return event
  }
  // The event and the webhooks subscribed to it in one round trip, then the deliveries.
  const { rows } = await tx.execute<{ id: string; status: WebhookStatus }>(sql`with ${recorded} ${subscribersQuery(storeId, type)}`)
  if (rows.length > 0) {
    const { ctes, final } = fanOutStatement(storeId, event, rows)
    await tx.execute(sql`with ${sql.join(ctes, sql`, `)} ${final}`)
  }
  return event
}
