import { useState } from 'react'
import type { Webhook } from '@deskflow/shared'
import { useNow } from '@/lib/use-now'
import { DeleteWebhookDialog } from './delete-webhook-dialog'
import { EditWebhookModal } from './edit-webhook-modal'
import { SendDummyDialog } from './send-dummy-dialog'
import { WebhookRow } from './webhook-row'

export function WebhooksTable({ storeKey, webhooks }: { storeKey: string; webhooks: Webhook[] }) {
  const [editingId, setEditingId] = useState<string | null>(null)
  const [deleting, setDeleting] = useState<Webhook | null>(null)
  const [testing, setTesting] = useState<Webhook | null>(null)
  const editing = webhooks.find((w) => w.id === editingId) ?? null
  const now = useNow()

  return (
    <>
      <div className="table-wrap">
        <table className="table webhooks-table">
          <caption className="sr-only">Webhooks</caption>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Last delivery</th>
              <th scope="col" className="cell-actions">
                Actions
              </th>
            </tr>
          </thead>
          <tbody>
            {webhooks.map((webhook) => (
              <WebhookRow key={webhook.id} webhook={webhook} now={now} onSendDummy={setTesting} onEdit={(w) => setEditingId(w.id)} onDelete={setDeleting} />
            ))}
          </tbody>
        </table>
      </div>
      <SendDummyDialog storeKey={storeKey} webhook={testing} onClose={() => setTesting(null)} />
      <EditWebhookModal storeKey={storeKey} webhook={editing} onClose={() => setEditingId(null)} />
      <DeleteWebhookDialog storeKey={storeKey} webhook={deleting} onClose={() => setDeleting(null)} />
    </>
  )
}
