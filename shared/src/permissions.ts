import { Type } from 'typebox'
import { RESOURCES, RESOURCE_REGISTRY, permissionsOf, type ResourceName } from './registry'

export type Resource = ResourceName

/** Exact strings clients depend on: a verb and a resource's name. Write does not imply read. */
export type Permission = `${'read' | 'write'}_${ResourceName}`

/** Permissions grouped by resource, in the order the help center lists them. */
export const PERMISSION_GROUPS = RESOURCES.map((resource) => ({
  resource,
  label: RESOURCE_REGISTRY[resource].label,
  ...permissionsOf(resource),
}))

export const PERMISSIONS: Permission[] = PERMISSION_GROUPS.flatMap((group) => [group.read, group.write])

export const Permission = Type.Enum(PERMISSIONS, {
  description: 'A permission granted to an API key. Write does not imply read.',
})

const LABELS = new Map<Permission, string>(
  PERMISSION_GROUPS.flatMap((group) => [
    [group.read, `Read ${group.label}`],
    [group.write, `Write ${group.label}`],
  ]),
)

/** "Read Customers", as the web app and the help center say it. */
export function permissionLabel(permission: Permission): string {
  return LABELS.get(permission) ?? permission
}
