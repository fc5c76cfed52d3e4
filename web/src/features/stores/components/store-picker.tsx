import type { Store } from '@deskflow/shared'
import { Link } from 'react-router'
import { ChevronRight, Store as StoreIcon } from 'lucide-react'

export function StorePicker({ stores }: { stores: Store[] }) {
  return (
    <ul className="store-list" aria-label="Your stores">
      {stores.map((store) => (
        <li key={store.key}>
          <Link className="store-list-item" to={`/store/${encodeURIComponent(store.key)}/settings/api`}>
            <span className="store-list-icon">
              <StoreIcon size={18} aria-hidden />
            </span>
            <span className="store-list-text">
              <span className="store-list-name">{store.name}</span>
              <span className="store-list-meta">
                {store.key} · {store.role}
              </span>
            </span>
            <ChevronRight size={16} aria-hidden className="store-list-chevron" />
          </Link>
        </li>
      ))}
    </ul>
  )
}
