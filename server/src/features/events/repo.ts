import type { EventType } from '@deskflow/shared'
import type { Tx } from '../../db'
import { events } from '../../db/schema'
import { newSortableId } from '../../lib/ids'
import { fanOutEvent } from '../webhooks/repo'

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
export async function recordEvent(tx: Tx, storeId: string, type: EventType, data: object): Promise<RecordedEvent> {
  const now = new Date()
  const event: RecordedEvent = { id: newSortableId('evt', now.getTime()), type, timestamp: now.toISOString(), data: data as Record<string, unknown> }
  await tx.insert(events).values({ id: event.id, storeId, type, data: event.data, createdAt: now })
  await fanOutEvent(tx, storeId, event)
  return event
}
