import { describe, expect, it } from 'vitest'
import { Value } from 'typebox/value'
import { PERMISSIONS, PERMISSION_GROUPS, Permission, permissionLabel } from './permissions'
import { EVENT_TYPES, eventLabel } from './events'

describe('permissions', () => {
  it('are the eight exact strings of the contract', () => {
    expect(PERMISSIONS).toEqual([
      'read_customers',
      'write_customers',
      'read_orders',
      'write_orders',
      'read_products',
      'write_products',
      'read_categories',
      'write_categories',
    ])
  })
  it('group every permission once by resource', () => {
    const flat = PERMISSION_GROUPS.flatMap((g) => [g.read, g.write])
    expect([...flat].sort()).toEqual([...PERMISSIONS].sort())
  })
  it('reject anything outside the enum', () => {
    expect(Value.Check(Permission, 'read_orders')).toBe(true)
    expect(Value.Check(Permission, 'admin')).toBe(false)
    expect(Value.Check(Permission, 'READ_ORDERS')).toBe(false)
  })
  it('have the labels the help center uses', () => {
    expect(permissionLabel('write_categories')).toBe('Write Categories')
    expect(permissionLabel('read_customers')).toBe('Read Customers')
  })
})

describe('events', () => {
  it('follow <resource>.<action> and label order.created as "Order Create"', () => {
    expect(EVENT_TYPES).toContain('order.created')
    expect(EVENT_TYPES).toHaveLength(12)
    expect(eventLabel('order.created')).toBe('Order Create')
    expect(eventLabel('category.deleted')).toBe('Category Delete')
  })
})
