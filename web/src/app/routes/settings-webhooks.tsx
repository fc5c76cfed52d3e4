import { useOutletContext } from 'react-router'
import type { Store } from '@deskflow/shared'
import { WebhooksSection } from '@/features/webhooks/components/webhooks-section'

export function SettingsWebhooksRoute() {
  const store = useOutletContext<Store>()
  return (
    <>
      <title>{`Webhooks · ${store.name} · Deskflow`}</title>
      <WebhooksSection storeKey={store.key} />
    </>
  )
}
