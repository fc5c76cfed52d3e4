import { useState } from 'react'
import type { ApiKey } from '@deskflow/shared'
import { ApiKeyRow } from './api-key-row'
import { DeleteApiKeyDialog } from './delete-api-key-dialog'
import { EditApiKeyModal } from './edit-api-key-modal'
import { UsageDialog } from './usage-dialog'

export function ApiKeysTable({ storeKey, apiKeys }: { storeKey: string; apiKeys: ApiKey[] }) {
  const [editingId, setEditingId] = useState<string | null>(null)
  const [deleting, setDeleting] = useState<ApiKey | null>(null)
  const [usageOf, setUsageOf] = useState<ApiKey | null>(null)
  // Look the key up on every render so the editor sees refreshed data (e.g. after a regeneration).
  const editing = apiKeys.find((k) => k.id === editingId) ?? null

  return (
    <>
      <div className="table-wrap">
        <table className="table keys-table">
          <caption className="sr-only">API keys</caption>
          <thead>
            <tr>
              <th scope="col">Activated</th>
              <th scope="col">Description</th>
              <th scope="col">API Key</th>
              <th scope="col">API Secret</th>
              <th scope="col">Last used</th>
              <th scope="col" className="cell-actions">
                Actions
              </th>
            </tr>
          </thead>
          <tbody>
            {apiKeys.map((apiKey) => (
              <ApiKeyRow key={apiKey.id} storeKey={storeKey} apiKey={apiKey} onEdit={(k) => setEditingId(k.id)} onDelete={setDeleting} onUsage={setUsageOf} />
            ))}
          </tbody>
        </table>
      </div>
      <EditApiKeyModal storeKey={storeKey} apiKey={editing} onClose={() => setEditingId(null)} />
      <UsageDialog storeKey={storeKey} apiKey={usageOf} onClose={() => setUsageOf(null)} />
      <DeleteApiKeyDialog storeKey={storeKey} apiKey={deleting} onClose={() => setDeleting(null)} />
    </>
  )
}
