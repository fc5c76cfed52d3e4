import { useOutletContext } from 'react-router'
import type { Store } from '@deskflow/shared'
import { ApiKeysSection } from '@/features/api-keys/components/api-keys-section'

export function SettingsApiRoute() {
  const store = useOutletContext<Store>()
  return (
    <>
      <title>{`API Keys · ${store.name} · Deskflow`}</title>
      <ApiKeysSection storeKey={store.key} />
    </>
  )
}
