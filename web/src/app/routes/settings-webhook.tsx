import { useOutletContext, useParams } from 'react-router'
import type { Store } from '@deskflow/shared'
import { WebhookDetails } from '@/features/webhooks/components/webhook-details'

export function SettingsWebhookRoute() {
  const store = useOutletContext<Store>()
  const { id = '' } = useParams()
  return (
    <>
      <title>{`Webhook · ${store.name} · Deskflow`}</title>
      {/* Keyed by id: moving to another webhook starts with fresh dialogs and filters. */}
      <WebhookDetails key={id} storeKey={store.key} id={id} />
    </>
  )
}
