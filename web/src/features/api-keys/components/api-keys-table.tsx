import { useState } from 'react'
import type { ApiKey } from '@deskflow/shared'
import { DataTable } from '@/components/ui/data-table'
import { ApiKeyRow } from './api-key-row'
import { DeleteApiKeyDialog } from './delete-api-key-dialog'
import { EditApiKeyModal } from './edit-api-key-modal'
import { RegenerateSecretDialog } from './regenerate-secret-dialog'
import { UsageDialog } from './usage-dialog'

const COLUMNS = ['Activated', 'Description', 'API Key', 'API Secret', 'Last used']

export function ApiKeysTable({ storeKey, apiKeys }: { storeKey: string; apiKeys: ApiKey[] }) {
  const [editingId, setEditingId] = useState<string | null>(null)
  const [deleting, setDeleting] = useState<ApiKey | null>(null)
  const [usageOf, setUsageOf] = useState<ApiKey | null>(null)
  const [regeneratingId, setRegeneratingId] = useState<string | null>(null)
  // Look the key up on every render so the editor sees refreshed data (e.g. after a regeneration).
  const editing = apiKeys.find((k) => k.id === editingId) ?? null
  const regenerating = apiKeys.find((k) => k.id === regeneratingId) ?? null

  return (
    <>
      <DataTable caption="API keys" columns={COLUMNS} className="keys-table">
        {apiKeys.map((apiKey) => (
          <ApiKeyRow
            key={apiKey.id}
            storeKey={storeKey}
            apiKey={apiKey}
            onEdit={(k) => setEditingId(k.id)}
            onDelete={setDeleting}
            onUsage={setUsageOf}
            onRegenerate={(k) => setRegeneratingId(k.id)}
          />
        ))}
      </DataTable>
      <EditApiKeyModal storeKey={storeKey} apiKey={editing} onClose={() => setEditingId(null)} />
      <RegenerateSecretDialog storeKey={storeKey} apiKey={regenerating} onClose={() => setRegeneratingId(null)} />
      <UsageDialog storeKey={storeKey} apiKey={usageOf} onClose={() => setUsageOf(null)} />
      <DeleteApiKeyDialog storeKey={storeKey} apiKey={deleting} onClose={() => setDeleting(null)} />
    </>
  )
}
