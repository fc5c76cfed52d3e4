import { Type } from 'typebox'
import {
  EVENT_ACTIONS,
  RESOURCES,
  RESOURCE_REGISTRY,
  eventTypeOf,
  singularLabel,
  type EventAction,
  type ResourceName,
  type ResourceSingular,
} from './registry'

/** `<singular>.<created|updated|deleted>`; `order.created` is shown as "Order Create". */
export type EventType = `${ResourceSingular}.${EventAction}`

const EVENTS = RESOURCES.flatMap((resource) => EVENT_ACTIONS.map((action) => ({ type: eventTypeOf(resource, action), resource, action })))

export const EVENT_TYPES: EventType[] = EVENTS.map((event) => event.type)

export const EventType = Type.Enum(EVENT_TYPES)

const ACTION_LABELS = { created: 'Create', updated: 'Update', deleted: 'Delete' } as const

const BY_TYPE = new Map(EVENTS.map((event) => [event.type, event]))

/** The resource and the action an event type names. */
export function eventParts(event: EventType): { resource: ResourceName; action: EventAction } {
  const parts = BY_TYPE.get(event)
  if (!parts) throw new Error(`Unknown event type: ${event}`)
  return parts
}

const LABELS = new Map(EVENTS.map(({ type, resource, action }) => [type, `${singularLabel(resource)} ${ACTION_LABELS[action]}`]))

export function eventLabel(event: EventType): string {
  return LABELS.get(event) ?? event
}

/** The events by resource (Customers: created, updated, deleted; …), in the catalogue's order. */
export const EVENT_GROUPS = RESOURCES.map((resource) => ({
  resource,
  label: RESOURCE_REGISTRY[resource].label,
  events: EVENT_ACTIONS.map((action) => eventTypeOf(resource, action)),
}))

/** A webhook's events in a few words: "Order Create", "Order Create, Order Update", "Order Create and 3 more". */
export function eventsSummary(events: readonly EventType[]): string {
  if (events.length <= 2) return events.map(eventLabel).join(', ')
  return `${eventLabel(events[0]!)} and ${events.length - 1} more`
}

/** Events in the catalogue's order, each once, whatever order they were chosen in. */
export function inCatalogueOrder(events: Iterable<EventType>): EventType[] {
  const chosen = new Set(events)
  return EVENT_TYPES.filter((type) => chosen.has(type))
}
