import { Type, type Static } from 'typebox'
import { RESOURCES, RESOURCE_LABELS } from './permissions'

const ACTIONS = ['created', 'updated', 'deleted'] as const
const SINGULAR = { customers: 'customer', orders: 'order', products: 'product', categories: 'category' } as const

/** `<resource>.<created|updated|deleted>`; `order.created` is shown as "Order Create". */
export const EVENT_TYPES = RESOURCES.flatMap((r) => ACTIONS.map((a) => `${SINGULAR[r]}.${a}` as const))

export const EventType = Type.Enum(EVENT_TYPES)
export type EventType = Static<typeof EventType>

const ACTION_LABELS = { created: 'Create', updated: 'Update', deleted: 'Delete' } as const

export function eventLabel(event: EventType): string {
  const [singular, action] = event.split('.') as [string, (typeof ACTIONS)[number]]
  const resource = RESOURCES.find((r) => SINGULAR[r] === singular)
  const noun = resource ? RESOURCE_LABELS[resource].replace(/ies$/, 'y').replace(/s$/, '') : singular
  return `${noun} ${ACTION_LABELS[action]}`
}
