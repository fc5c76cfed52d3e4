import { useDeferredValue, useState } from 'react'
import { KeyRound, ListChecks, Plus, Search } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { EmptyState } from '@/components/ui/empty-state'
import { LoadMore } from '@/components/ui/load-more'
import { LoadErrorState } from '@/components/ui/error-state'
import { SkeletonRows } from '@/components/ui/skeleton-rows'
import { StoreNotFound } from '@/components/store-not-found'
import { isApiError } from '@/lib/api-client'
import { DESCRIPTION_MAX, KEY_SECRET_MAX_AGE_DAYS, KEY_UNUSED_DAYS } from '@deskflow/shared'
import { Segmented } from '@/components/ui/segmented'
import { useViewerReason } from '@/lib/store-role'
import { useApiKeys } from '../api/get-api-keys'
import { ApiKeysTable } from './api-keys-table'
import { CreateApiKeyModal } from './create-api-key-modal'

function AddApiButton({ onClick }: { onClick: () => void }) {
  return (
    <Button variant="primary" icon={<Plus size={16} aria-hidden />} onClick={onClick} disabledReason={useViewerReason()} data-page-action>
      Add API
    </Button>
  )
}

/** Filters by description or key prefix; the list follows as the admin types. */
function KeySearch({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <div className="list-search">
      <Search size={16} aria-hidden className="list-search-icon" />
      <input
        className="input"
        type="search"
        aria-label="Search API keys"
        placeholder="Search by description or key (dfk_…)"
        maxLength={DESCRIPTION_MAX}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  )
}

type Show = 'all' | 'review'
const SHOW_OPTIONS: { value: Show; label: string }[] = [
  { value: 'all', label: 'All keys' },
  { value: 'review', label: 'Due for review' },
]

export function ApiKeysSection({ storeKey }: { storeKey: string }) {
  const [creating, setCreating] = useState(false)
  const [search, setSearch] = useState('')
  const [show, setShow] = useState<Show>('all')
  // Typing stays responsive; the list asks the server for the text once React has time.
  const searched = useDeferredValue(search.trim())
  const apiKeys = useApiKeys(storeKey, searched, show === 'review')
  const keys = apiKeys.data?.pages.flatMap((page) => page.data)

  if (isApiError(apiKeys.error) && apiKeys.error.status === 404) return <StoreNotFound storeKey={storeKey} />

  let empty
  if (show === 'review' && searched === '')
    empty = (
      <EmptyState icon={<ListChecks size={22} aria-hidden />} title="No key is due for review">
        <p>
          A key shows here once it has been unused for {KEY_UNUSED_DAYS} days, or its secret is {KEY_SECRET_MAX_AGE_DAYS} days old: time to
          delete it or regenerate its secret.
        </p>
      </EmptyState>
    )
  else if (searched !== '')
    empty = (
      <EmptyState icon={<Search size={22} aria-hidden />} title={`No API keys match “${searched}”`}>
        <p>Search looks in descriptions (any case) and at the start of keys.</p>
      </EmptyState>
    )
  else
    empty = (
      <EmptyState
        icon={<KeyRound size={22} aria-hidden />}
        title="No API keys yet"
        action={<AddApiButton onClick={() => setCreating(true)} />}
      >
        <p>Create a key for each integration, such as a mobile app or an ERP, so you can revoke one without touching the others.</p>
      </EmptyState>
    )

  let content
  if (apiKeys.isPending) content = <SkeletonRows label="Loading API keys" />
  else if (apiKeys.isError && !keys)
    content = <LoadErrorState error={apiKeys.error} what="API keys" onRetry={() => void apiKeys.refetch()} retrying={apiKeys.isFetching} />
  else
    content = (
      <>
        <ApiKeysTable storeKey={storeKey} apiKeys={keys ?? []} empty={empty} />
        <LoadMore query={apiKeys} />
      </>
    )
  const listed = (keys && keys.length > 0) || searched !== '' || show === 'review'

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
        {listed || apiKeys.isError ? <AddApiButton onClick={() => setCreating(true)} /> : null}
      </div>
      {listed || search !== '' ? (
        <div className="section-tools list-tools">
          <KeySearch value={search} onChange={setSearch} />
          <Segmented legend="Show" options={SHOW_OPTIONS} value={show} onChange={setShow} />
        </div>
      ) : null}
      <div className="card">{content}</div>
      <CreateApiKeyModal storeKey={storeKey} open={creating} onOpenChange={setCreating} />
    </>
  )
}
