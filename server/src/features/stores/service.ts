import type { AddMemberBody, AddedMember, Member, MemberList, StoreList, StoreRole } from '@deskflow/shared'
import type { Db, Tx } from '../../db'
import type { StoreRow } from '../../db/schema'
import type { Actor } from '../../http/auth'
import { AppError } from '../../lib/errors'
import type { AuditService } from '../audit/service'
import type { AuthService } from '../auth/service'
import type { MemberRow, StoresRepo } from './repo'

/** The refusal of a team change to anyone but an owner. */
export const OWNERS_ONLY = 'Only owners of this store can add members, change their roles or remove them'

function toMember(row: MemberRow): Member {
  return { adminId: row.adminId, email: row.email, role: row.role, addedAt: row.addedAt.toISOString() }
}

export interface MemberChange {
  storeId: string
  actor: Actor
  adminId: string
}

export function createStoresService(deps: {
  db: Db
  repo: StoresRepo
  auth: Pick<AuthService, 'findAdmin' | 'createAdmin'>
  audit: Pick<AuditService, 'record'>
}) {
  const { db, repo, auth, audit } = deps

  /**
   * Every team change starts here, in its transaction: the owners' rows locked (so changes
   * that could leave the store without an owner run one after the other), and the actor
   * still one of them once the lock is theirs (an owner demoted meanwhile changes nothing).
   */
  async function ownersFor(tx: Tx, storeId: string, actor: Actor): Promise<string[]> {
    const owners = await repo.lockOwners(storeId, tx)
    if (!owners.includes(actor.adminId)) throw new AppError('forbidden', OWNERS_ONLY)
    return owners
  }

  async function lockedMember(tx: Tx, storeId: string, adminId: string): Promise<MemberRow> {
    const member = await repo.lockMember(storeId, adminId, tx)
    if (!member) throw AppError.notFound('Member')
    return member
  }

  function refuseLastOwner(member: MemberRow, owners: string[], doing: string): void {
    if (member.role === 'owner' && owners.length === 1)
      throw new AppError('conflict', `${member.email} is the only owner of this store; make another member an owner before ${doing}`)
  }

  return {
    async list(adminId: string): Promise<StoreList> {
      return { data: await repo.listForAdmin(adminId) }
    },

    /** A store the admin is not a member of answers exactly like one that does not exist. */
    async requireMember(adminId: string, key: string): Promise<{ store: StoreRow; role: StoreRole }> {
      const membership = await repo.findForMember(adminId, key)
      if (!membership) throw AppError.notFound('Store')
      return membership
    },

    async listMembers(storeId: string): Promise<MemberList> {
      return { data: (await repo.listMembers(storeId)).map(toMember) }
    },

    /**
     * Adds the admin with this email, or creates them first with a generated password that
     * only this answer carries. A member already is one: 409, and nothing is created.
     */
    async addMember(storeId: string, actor: Actor, input: AddMemberBody): Promise<AddedMember> {
      const email = input.email.toLowerCase()
      return db.transaction(async (tx) => {
        await ownersFor(tx, storeId, actor)
        const existing = await auth.findAdmin(email, tx)
        const created = existing ? undefined : await auth.createAdmin(email, tx)
        const admin = existing ?? created!.admin
        const addedAt = await repo.insertMember(storeId, admin.id, input.role, tx)
        if (!addedAt)
          throw new AppError('conflict', `${email} is already a member of this store`, [
            { field: 'email', message: 'is already a member of this store' },
          ])
        await audit.record(tx, {
          storeId,
          actor,
          action: 'member.added',
          target: { type: 'member', id: admin.id },
          metadata: { email, role: input.role, newAdmin: created !== undefined },
        })
        return { adminId: admin.id, email, role: input.role, addedAt: addedAt.toISOString(), password: created?.password ?? null }
      })
    },

    /** The last owner keeps the role: 409. */
    async changeRole({ storeId, actor, adminId }: MemberChange, role: StoreRole): Promise<Member> {
      return db.transaction(async (tx) => {
        const owners = await ownersFor(tx, storeId, actor)
        const member = await lockedMember(tx, storeId, adminId)
        if (member.role === role) return toMember(member)
        if (role !== 'owner') refuseLastOwner(member, owners, 'changing their role')
        await repo.updateRole(storeId, adminId, role, tx)
        await audit.record(tx, {
          storeId,
          actor,
          action: 'member.role_changed',
          target: { type: 'member', id: adminId },
          metadata: { email: member.email, before: { role: member.role }, after: { role } },
        })
        return toMember({ ...member, role })
      })
    },

    /** The admin keeps their account and their other stores; this store refuses them from the next request on. The last owner stays: 409. */
    async removeMember({ storeId, actor, adminId }: MemberChange): Promise<void> {
      await db.transaction(async (tx) => {
        const owners = await ownersFor(tx, storeId, actor)
        const member = await lockedMember(tx, storeId, adminId)
        refuseLastOwner(member, owners, 'removing them')
        await repo.removeMember(storeId, adminId, tx)
        await audit.record(tx, {
          storeId,
          actor,
          action: 'member.removed',
          target: { type: 'member', id: adminId },
          metadata: { email: member.email, role: member.role },
        })
      })
    },
  }
}

export type StoresService = ReturnType<typeof createStoresService>
