import { Type, type Static } from 'typebox'

export const RESOURCES = ['customers', 'orders', 'products', 'categories'] as const
export type Resource = (typeof RESOURCES)[number]

/** Exact strings clients depend on. Write does not imply read. */
export const PERMISSIONS = [
  'read_customers',
  'write_customers',
  'read_orders',
  'write_orders',
  'read_products',
  'write_products',
  'read_categories',
  'write_categories',
] as const

export const Permission = Type.Enum(PERMISSIONS, {
  description: 'A permission granted to an API key. Write does not imply read.',
})
export type Permission = Static<typeof Permission>

export const RESOURCE_LABELS: Record<Resource, string> = {
  customers: 'Customers',
  orders: 'Orders',
  products: 'Products',
  categories: 'Categories',
}

/** Permissions grouped by resource, in the order the help center lists them. */
export const PERMISSION_GROUPS = RESOURCES.map((resource) => ({
  resource,
  label: RESOURCE_LABELS[resource],
  read: `read_${resource}` as Permission,
  write: `write_${resource}` as Permission,
}))

export function permissionLabel(permission: Permission): string {
  const [verb, resource] = permission.split('_') as ['read' | 'write', Resource]
  return `${verb === 'read' ? 'Read' : 'Write'} ${RESOURCE_LABELS[resource]}`
}
