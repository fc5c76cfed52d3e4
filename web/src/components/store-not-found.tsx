import { Link } from 'react-router'
import { SearchX } from 'lucide-react'
import { EmptyState } from './ui/empty-state'

export function StoreNotFound({ storeKey }: { storeKey: string }) {
  return (
    <div className="card">
      <title>Store not found · Deskflow</title>
      <EmptyState
        icon={<SearchX size={22} aria-hidden />}
        as="h1"
        title="Store not found"
        action={
          <Link className="btn btn-secondary btn-md" to="/">
            Go to your stores
          </Link>
        }
      >
        <p>There is no store “{storeKey}”, or you are not a member of it.</p>
      </EmptyState>
    </div>
  )
}
