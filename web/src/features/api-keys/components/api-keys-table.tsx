import { useState, type ReactNode } from 'react'
import type { ApiKey } from '@deskflow/shared'
import { DataTable } from '@/components/ui/data-table'
import { ApiKeyRow } from './api-key-row'
import { DeleteApiKeyDialog } from './delete-api-key-dialog'
import { EditApiKeyModal } from './edit-api-key-modal'
import { RegenerateSecretDialog } from './regenerate-secret-dialog'
import { UsageDialog } from './usage-dialog'

const COLUMNS = ['Activated', 'Description', 'API Key', 'API Secret', 'Last used']

/**
 * The keys, and the dialogs opened from their rows. `empty` shows instead of the table when
 * there are no keys: the dialogs stay mounted, so one opened on a key that then leaves the
 * list (after a regeneration it is no longer due for review) keeps what it shows.
 */
export function ApiKeysTable({ storeKey, apiKeys, empty }: { storeKey: string; apiKeys: ApiKey[]; empty?: ReactNode }) {
  // The key as it was when its dialog opened: the dialog keeps it even if the key leaves the
  // list meanwhile (a regenerated key is no longer "due for review"), so a new secret shown
  // once is never closed away.
  const [editingKey, setEditingKey] = useState<ApiKey | null>(null)
  const [deleting, setDeleting] = useState<ApiKey | null>(null)
  const [usageOf, setUsageOf] = useState<ApiKey | null>(null)
  const [regeneratingKey, setRegeneratingKey] = useState<ApiKey | null>(null)
  // Looked up on every render so a dialog sees refreshed data (e.g. after a regeneration).
  const latest = (opened: ApiKey | null) => (opened ? (apiKeys.find((k) => k.id === opened.id) ?? opened) : null)
  const editing = latest(editingKey)
  const regenerating = latest(regeneratingKey)

  return (
    <>
      {apiKeys.length === 0 ? (
        empty
      ) : (
        <DataTable caption="API keys" columns={COLUMNS} className="keys-table">
          {apiKeys.map((apiKey) => (
            <ApiKeyRow
              key={apiKey.id}
              storeKey={storeKey}
              apiKey={apiKey}
              onEdit={setEditingKey}
              onDelete={setDeleting}
              onUsage={setUsageOf}
              onRegenerate={setRegeneratingKey}
            />
          ))}
        </DataTable>
      )}
      <EditApiKeyModal storeKey={storeKey} apiKey={editing} onClose={() => setEditingKey(null)} />
      <RegenerateSecretDialog storeKey={storeKey} apiKey={regenerating} onClose={() => setRegeneratingKey(null)} />
      <UsageDialog storeKey={storeKey} apiKey={usageOf} onClose={() => setUsageOf(null)} />
      <DeleteApiKeyDialog storeKey={storeKey} apiKey={deleting} onClose={() => setDeleting(null)} />
    </>
  )
}
