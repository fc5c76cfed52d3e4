import { useCallback, useEffect, useState, type ComponentType } from 'react'
import { ErrorState } from '@/components/ui/error-state'

/** How often a page whose code failed to download tries again by itself. */
export const CHUNK_RETRY_MS = 3000

type Load = () => Promise<ComponentType>

/**
 * A route's `lazy` that never fails: when the page's code cannot be downloaded (the server is
 * unreachable), the route gets a stand-in that says so inside the app's frame, tries again every
 * few seconds and when the browser comes back online, and shows the page once it arrives.
 * (The router keeps a failed `lazy` for good, so the retry has to live in the page itself.)
 */
export function lazyPage(load: Load): () => Promise<{ Component: ComponentType }> {
  return async () => {
    try {
      return { Component: await load() }
    } catch {
      return { Component: retrying(load) }
    }
  }
}

const RELOADED_AT = 'deskflow:chunk-reload'

/** At most one automatic reload in 30 s: a page whose code is missing for good must not reload forever. */
function mayReload(): boolean {
  const last = Number(sessionStorage.getItem(RELOADED_AT) ?? 0)
  if (Date.now() - last < 30_000) return false
  sessionStorage.setItem(RELOADED_AT, String(Date.now()))
  return true
}

function retrying(load: Load): ComponentType {
  let loaded: ComponentType | null = null
  return function PageCodeRetry() {
    const [Page, setPage] = useState<ComponentType | null>(() => loaded)
    const [busy, setBusy] = useState(false)

    const retry = useCallback(async () => {
      setBusy(true)
      try {
        loaded = await load()
        setPage(() => loaded)
      } catch {
        // A browser may remember a failed download of a module: once the server answers again, a
        // reload fetches everything afresh.
        const serverBack = await fetch('/health/live', { cache: 'no-store' }).then(
          (response) => response.ok,
          () => false,
        )
        if (serverBack && mayReload()) window.location.reload()
      } finally {
        setBusy(false)
      }
    }, [])

    useEffect(() => {
      if (Page) return
      const timer = window.setInterval(() => void retry(), CHUNK_RETRY_MS)
      const online = () => void retry()
      window.addEventListener('online', online)
      return () => {
        window.clearInterval(timer)
        window.removeEventListener('online', online)
      }
    }, [Page, retry])

    if (Page) return <Page />
    return (
      <div className="card">
        <ErrorState
          title="Can't reach the server"
          message="This page could not be loaded. It will appear as soon as the server answers again."
          onRetry={() => void retry()}
          retrying={busy}
        />
      </div>
    )
  }
}
