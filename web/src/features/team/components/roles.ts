import type { Member, StoreRole } from '@deskflow/shared'

export const ROLE_LABELS: Record<StoreRole, string> = { owner: 'Owner', developer: 'Developer', viewer: 'Viewer' }

/** What each role may do, as the role field and the docs say it. */
export const ROLE_ABILITIES: Record<StoreRole, string> = {
  owner: 'Everything, including the team: adds members, changes their roles, removes them.',
  developer: 'Creates and changes API keys and webhooks and sees their secrets; not the team.',
  viewer: 'Sees keys, webhooks, usage and the audit log; no changes, no secrets.',
}

/** Why the store's only owner keeps that role: shown beside it and on its disabled actions. */
export const ONLY_OWNER = 'The only owner: make another member an owner first'

/** The member a store cannot lose, if `member` is that one. */
export function isOnlyOwner(member: Member, members: readonly Member[]): boolean {
  return member.role === 'owner' && members.filter((m) => m.role === 'owner').length === 1
}
