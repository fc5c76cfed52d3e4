import { describe, expect, it } from 'vitest'
import { Value } from 'typebox/value'
import { EVENT_TYPES, eventParts } from './events'
import { PERMISSIONS } from './permissions'
import { EVENT_ACTIONS, REFERENCE_ORDER, RESOURCES, RESOURCE_REGISTRY, eventTypeOf, permissionsOf, singularLabel } from './registry'

const AT = '2026-11-26T12:00:00.000Z'

describe('resource registry', () => {
  it('lists the resources in the order of permissions and events, and the reference in its own', () => {
    expect(RESOURCES).toEqual(['customers', 'orders', 'products', 'categories'])
    expect(REFERENCE_ORDER).toEqual(['customers', 'products', 'categories', 'orders'])
  })

  it('gives each resource its two permissions and three event types', () => {
    expect(permissionsOf('categories')).toEqual({ read: 'read_categories', write: 'write_categories' })
    expect(RESOURCES.flatMap((r) => Object.values(permissionsOf(r)))).toEqual(PERMISSIONS)
    expect(RESOURCES.flatMap((r) => EVENT_ACTIONS.map((a) => eventTypeOf(r, a)))).toEqual(EVENT_TYPES)
    for (const type of EVENT_TYPES) {
      const { resource, action } = eventParts(type)
      expect(eventTypeOf(resource, action)).toBe(type)
    }
    expect(singularLabel('categories')).toBe('Category')
  })

  it("sends, for every event, a sample that is exactly its resource's item, stamped with the time given", () => {
    for (const type of EVENT_TYPES) {
      const { resource, action } = eventParts(type)
      const { prefix, schemas, sample } = RESOURCE_REGISTRY[resource]
      const data = sample(action, AT)
      expect(data.id).toMatch(new RegExp(`^${prefix}_sample`))
      expect(Value.Check(schemas.item, data), type).toBe(true)
      expect(Object.keys(data).sort(), type).toEqual(Object.keys(schemas.item.properties).sort())
      expect(data).toMatchObject({ createdAt: AT, updatedAt: AT })
    }
  })

  it('samples a new order as pending and a changed one as paid', () => {
    expect(RESOURCE_REGISTRY.orders.sample('created', AT).status).toBe('pending')
    expect(RESOURCE_REGISTRY.orders.sample('updated', AT).status).toBe('paid')
    expect(RESOURCE_REGISTRY.orders.sample('deleted', AT).status).toBe('paid')
  })
})
