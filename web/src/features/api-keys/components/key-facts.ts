import { KEY_SECRET_MAX_AGE_DAYS, KEY_UNUSED_DAYS, PERMISSION_GROUPS, PERMISSIONS, type ApiKey, type Permission } from '@deskflow/shared'

const DAY_MS = 86_400_000

/**
 * A key's permissions as short chips, one per resource: "Orders: read & write",
 * "Products: read"; "Full access" for all of them, none for none (the row says so).
 */
export function permissionChips(permissions: readonly Permission[]): string[] {
  const held = new Set(permissions)
  if (PERMISSIONS.every((p) => held.has(p))) return ['Full access']
  return PERMISSION_GROUPS.flatMap((group) => {
    const read = held.has(group.read)
    const write = held.has(group.write)
    if (!read && !write) return []
    return [`${group.label}: ${read && write ? 'read & write' : read ? 'read' : 'write'}`]
  })
}

/** Whether the key holds every write permission: worth a second look before saving. */
export function holdsEveryWrite(permissions: readonly Permission[]): boolean {
  return PERMISSION_GROUPS.every((group) => permissions.includes(group.write))
}

export interface ReviewHints {
  /** Unused for KEY_UNUSED_DAYS or more (never used: counted from its creation). */
  unused: boolean
  /** Its secret is KEY_SECRET_MAX_AGE_DAYS old or more. */
  oldSecret: boolean
}

/** The guide's rotation tips, as the server's `review` filter applies them. */
export function reviewHints(key: Pick<ApiKey, 'lastUsedAt' | 'createdAt' | 'secretCreatedAt'>, now: number): ReviewHints {
  const lastSeen = new Date(key.lastUsedAt ?? key.createdAt).getTime()
  return {
    unused: now - lastSeen >= KEY_UNUSED_DAYS * DAY_MS,
    oldSecret: now - new Date(key.secretCreatedAt).getTime() >= KEY_SECRET_MAX_AGE_DAYS * DAY_MS,
  }
}
