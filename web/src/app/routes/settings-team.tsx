import { useNavigate, useOutletContext } from 'react-router'
import type { Store } from '@deskflow/shared'
import { useMe } from '@/features/auth/api/get-me'
import { TeamSection } from '@/features/team/components/team-section'

export function SettingsTeamRoute() {
  const store = useOutletContext<Store>()
  const me = useMe()
  const navigate = useNavigate()
  return (
    <>
      <title>{`Team · ${store.name} · Deskflow`}</title>
      <TeamSection
        storeKey={store.key}
        role={store.role}
        adminId={me.data?.admin.id}
        onLeft={() => void navigate('/', { replace: true })}
      />
    </>
  )
}
