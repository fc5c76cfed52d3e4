import { RESOURCE_REGISTRY, eventParts, type EventType } from '@deskflow/shared'

/** Realistic "Send Dummy" data for each event: the shape a real delivery carries, stamped now. */
export function sampleData(event: EventType): Record<string, unknown> {
  const { resource, action } = eventParts(event)
  return RESOURCE_REGISTRY[resource].sample(action, new Date().toISOString())
}
