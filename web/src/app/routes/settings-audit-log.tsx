import { useOutletContext } from 'react-router'
import type { Store } from '@deskflow/shared'
import { AuditLogSection } from '@/features/audit/components/audit-log-section'

export function SettingsAuditLogRoute() {
  const store = useOutletContext<Store>()
  return (
    <>
      <title>{`Audit log · ${store.name} · Deskflow`}</title>
      <AuditLogSection storeKey={store.key} />
    </>
  )
}
