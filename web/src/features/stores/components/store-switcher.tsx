import type { Store } from '@deskflow/shared'
import { useLocation, useNavigate } from 'react-router'
import { ChevronsUpDown } from 'lucide-react'

/** Switches to the same page in another store. */
export function StoreSwitcher({ stores, current }: { stores: Store[]; current: string }) {
  const navigate = useNavigate()
  const location = useLocation()
  const prefix = `/store/${encodeURIComponent(current)}`

  function onChange(next: string) {
    const rest = location.pathname.startsWith(prefix) ? location.pathname.slice(prefix.length) : '/settings/api'
    navigate(`/store/${encodeURIComponent(next)}${rest || '/settings/api'}`)
  }

  return (
    <div className="store-switcher">
      <select aria-label="Store" value={current} onChange={(e) => onChange(e.target.value)}>
        {stores.some((s) => s.key === current) ? null : <option value={current}>{current}</option>}
        {stores.map((store) => (
          <option key={store.key} value={store.key}>
            {store.name}
          </option>
        ))}
      </select>
      <ChevronsUpDown size={14} aria-hidden className="store-switcher-icon" />
    </div>
  )
}
