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
    async requireMember(adminId: string, key: string): Promise<StoreRow> {
      const store = await deps.repo.findForMember(adminId, key)
      if (!store) throw AppError.notFound('Store')
      return store
    },
  }
}

export type StoresService = ReturnType<typeof createStoresService>
