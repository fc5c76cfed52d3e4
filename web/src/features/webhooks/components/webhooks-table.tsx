import { useState } from 'react'
import type { Webhook } from '@deskflow/shared'
import { DataTable } from '@/components/ui/data-table'
import { useNow } from '@/lib/use-now'
import { DeleteWebhookDialog } from './delete-webhook-dialog'
import { EditWebhookModal } from './edit-webhook-modal'
import { SendDummyDialog } from './send-dummy-dialog'
import { WebhookRow } from './webhook-row'

const COLUMNS = ['URL', 'Event', 'Status', 'Last delivery']

export function WebhooksTable({ storeKey, webhooks }: { storeKey: string; webhooks: Webhook[] }) {
  const [editingId, setEditingId] = useState<string | null>(null)
  const [deleting, setDeleting] = useState<Webhook | null>(null)
  const [testing, setTesting] = useState<Webhook | null>(null)
  const editing = webhooks.find((w) => w.id === editingId) ?? null
  const now = useNow()

  return (
    <>
      <DataTable caption="Webhooks" columns={COLUMNS} className="webhooks-table">
        {webhooks.map((webhook) => (
          <WebhookRow
            key={webhook.id}
            webhook={webhook}
            now={now}
            onSendDummy={setTesting}
            onEdit={(w) => setEditingId(w.id)}
            onDelete={setDeleting}
          />
        ))}
      </DataTable>
      <SendDummyDialog storeKey={storeKey} webhook={testing} onClose={() => setTesting(null)} />
      <EditWebhookModal storeKey={storeKey} webhook={editing} onClose={() => setEditingId(null)} />
      <DeleteWebhookDialog storeKey={storeKey} webhook={deleting} onClose={() => setDeleting(null)} />
    </>
  )
}
