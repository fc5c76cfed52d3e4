import { createContext, useContext } from 'react'
import type { StoreRole } from '@deskflow/shared'

/** Why a viewer's action does nothing: its button's tooltip and accessible description. */
export const VIEWER_CANT_CHANGE = 'Viewers can’t make changes'
export const VIEWER_CANT_SEE_SECRETS = 'Viewers can’t see secrets'

const StoreRoleContext = createContext<StoreRole | undefined>(undefined)

/** The signed-in admin's role in the store on screen; the store's layout provides it. */
export const StoreRoleProvider = StoreRoleContext.Provider

export function useStoreRole(): StoreRole | undefined {
  return useContext(StoreRoleContext)
}

/**
 * Why the signed-in admin can't use an action of this store (a viewer, whom the server would
 * answer 403), for the button's `disabledReason`; undefined when they can.
 */
export function useViewerReason(what: 'change' | 'secret' = 'change'): string | undefined {
  if (useStoreRole() !== 'viewer') return undefined
  return what === 'secret' ? VIEWER_CANT_SEE_SECRETS : VIEWER_CANT_CHANGE
}
