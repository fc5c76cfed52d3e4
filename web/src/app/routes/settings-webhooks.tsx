import { useOutletContext } from 'react-router'
import type { Store } from '@deskflow/shared'
import { Webhook } from 'lucide-react'
import { EmptyState } from '@/components/ui/empty-state'

export function SettingsWebhooksRoute() {
  const store = useOutletContext<Store>()
  return (
    <>
      <title>{`Webhooks · ${store.name} · Deskflow`}</title>
      <div className="page-header">
        <div>
          <h1 className="page-title">Webhooks</h1>
          <p className="page-lead">Send signed events, such as Order Create, to your own server as they happen.</p>
        </div>
      </div>
      <div className="card">
        <EmptyState icon={<Webhook size={22} aria-hidden />} title="Webhooks are coming next">
          <p>We’re finishing webhooks for {store.name}. Until then, integrations can use API keys to read and change store data.</p>
        </EmptyState>
      </div>
    </>
  )
}
