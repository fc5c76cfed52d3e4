import type { StoreList } from '@deskflow/shared'
import type { StoreRow } from '../../db/schema'
import { AppError } from '../../lib/errors'
import type { StoresRepo } from './repo'

export function createStoresService(deps: { repo: StoresRepo }) {
  return {
    async list(adminId: string): Promise<StoreList> {
      return { data: await deps.repo.listForAdmin(adminId) }
    },

    /** A store the admin is not a member of answers exactly like one that does not exist. */
    async requireMember(adminId: string, key: string): Promise<{ store: StoreRow; role: string }> {
      const membership = await deps.repo.findForMember(adminId, key)
      if (!membership) throw AppError.notFound('Store')
      return membership
    },
  }
}

export type StoresService = ReturnType<typeof createStoresService>
