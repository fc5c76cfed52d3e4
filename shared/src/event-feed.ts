import { Type, type Static, type TSchema } from 'typebox'
import { CURSOR_DESCRIPTION } from './common'
import { EVENT_TYPES, EventType, eventParts, type EventType as EventTypeName } from './events'
import { RESOURCE_REGISTRY } from './registry'
import { EventEnvelope, listOf } from './resources'

/** One event's payload, as a webhook delivers it and the events feed lists it (`OrderCreatedEvent`, …). */
export function eventPayload(type: EventTypeName) {
  // The document takes any JSON schema; each resource's own item type adds nothing here.
  const data: TSchema = RESOURCE_REGISTRY[eventParts(type).resource].schemas.item
  return EventEnvelope(type, data)
}

/** Any event: one of the payloads, told apart by `type`. */
export const Event = Type.Union(
  EVENT_TYPES.map((type) => eventPayload(type)),
  { title: 'Event', description: 'One of the event payloads, by `type`: the body a webhook delivery of it carries.' },
)
export const EventList = listOf(Event)

/** Query of the events feed: oldest first, cursor pagination like every list. */
export const EventQuery = Type.Object({
  type: Type.Optional(EventType),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Events per page, 1 to 100.' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: CURSOR_DESCRIPTION })),
  created_since: Type.Optional(
    Type.String({ format: 'date-time', description: 'Only events recorded at or after this time (to catch up after an outage).' }),
  ),
})
export type EventQuery = Static<typeof EventQuery>

export const EventParams = Type.Object({
  id: Type.String({ pattern: '^evt_[0-9A-Za-z]{1,64}$', description: 'An id starting with `evt_`.' }),
})
