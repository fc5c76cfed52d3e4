import type { EventType } from '@deskflow/shared'
import type { Tx } from '../../db'
import { events } from '../../db/schema'
import { newSortableId } from '../../lib/ids'

export interface RecordedEvent {
  id: string
  type: EventType
  timestamp: string
  data: Record<string, unknown>
}

/**
 * Records an event inside the transaction of the change that caused it: a rolled
 * back change leaves no event, a committed one always has its event.
 */
export async function recordEvent(tx: Tx, storeId: string, type: EventType, data: object): Promise<RecordedEvent> {
  const now = new Date()
  const id = newSortableId('evt', now.getTime())
  await tx.insert(events).values({ id, storeId, type, data: data as Record<string, unknown>, createdAt: now })
  return { id, type, timestamp: now.toISOString(), data: data as Record<string, unknown> }
}
