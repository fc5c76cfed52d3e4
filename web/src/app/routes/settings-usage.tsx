import { useOutletContext } from 'react-router'
import type { Store } from '@deskflow/shared'
import { UsagePage } from '@/features/api-keys/components/usage-page'

export function SettingsUsageRoute() {
  const store = useOutletContext<Store>()
  return (
    <>
      <title>{`Usage · ${store.name} · Deskflow`}</title>
      <UsagePage storeKey={store.key} />
    </>
  )
}
