import { useState } from 'react'
import { KeyRound, Plus } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { EmptyState } from '@/components/ui/empty-state'
import { LoadErrorState } from '@/components/ui/error-state'
import { SkeletonRows } from '@/components/ui/skeleton-rows'
import { StoreNotFound } from '@/components/store-not-found'
import { isApiError } from '@/lib/api-client'
import { useApiKeys } from '../api/get-api-keys'
import { ApiKeysTable } from './api-keys-table'
import { CreateApiKeyModal } from './create-api-key-modal'

function AddApiButton({ onClick }: { onClick: () => void }) {
  return (
    <Button variant="primary" icon={<Plus size={16} aria-hidden />} onClick={onClick} data-page-action>
      Add API
    </Button>
  )
}

export function ApiKeysSection({ storeKey }: { storeKey: string }) {
  const [creating, setCreating] = useState(false)
  const apiKeys = useApiKeys(storeKey)

  if (isApiError(apiKeys.error) && apiKeys.error.status === 404) return <StoreNotFound storeKey={storeKey} />

  let content
  if (apiKeys.isPending) content = <SkeletonRows label="Loading API keys" />
  else if (apiKeys.isError)
    content = <LoadErrorState error={apiKeys.error} what="API keys" onRetry={() => void apiKeys.refetch()} retrying={apiKeys.isFetching} />
  else if (apiKeys.data.length === 0)
    content = (
      <EmptyState
        icon={<KeyRound size={22} aria-hidden />}
        title="No API keys yet"
        action={<AddApiButton onClick={() => setCreating(true)} />}
      >
        <p>Create a key for each integration, such as a mobile app or an ERP, so you can revoke one without touching the others.</p>
      </EmptyState>
    )
  else content = <ApiKeysTable storeKey={storeKey} apiKeys={apiKeys.data} />

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">API Keys</h1>
          <p className="page-lead">
            Let apps and services read and change this store’s customers, orders, products and categories. Each key has its own permissions;
            keep secrets private.{' '}
            <a href="/docs" target="_blank" rel="noreferrer">
              API reference
            </a>
          </p>
        </div>
        {/* The empty state carries its own button; one "Add API" at a time keeps the page unambiguous. */}
        {(apiKeys.data && apiKeys.data.length > 0) || apiKeys.isError ? <AddApiButton onClick={() => setCreating(true)} /> : null}
      </div>
      <div className="card">{content}</div>
      <CreateApiKeyModal storeKey={storeKey} open={creating} onOpenChange={setCreating} />
    </>
  )
}
