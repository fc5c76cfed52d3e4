import { useCallback, useEffect, useRef, useState, type ComponentType } from 'react'
import { ErrorState } from '@/components/ui/error-state'

/** How often a page whose code failed to download tries again by itself. */
export const CHUNK_RETRY_MS = 3000

type Load = () => Promise<ComponentType>

/**
 * A failed download of a page's code (the server unreachable), as browsers word it; any other
 * error (a module that throws while loading) is a real failure for the route's error page.
 */
export function isChunkLoadError(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    /dynamically imported module|Importing a module script failed|error loading dynamically imported module|Failed to fetch/i.test(
      error.message,
    )
  )
}

/**
 * A route's `lazy` that survives the server being away: when the page's code cannot be
 * downloaded, the route gets a stand-in that says so inside the app's frame, tries again
 * every few seconds and when the browser comes back online, and shows the page once it
 * arrives. (The router keeps a failed `lazy` for good, so the retry has to live in the page.)
 */
export function lazyPage(load: Load): () => Promise<{ Component: ComponentType }> {
  return async () => {
    try {
      return { Component: await load() }
    } catch (error) {
      if (!isChunkLoadError(error)) throw error
      return { Component: retrying(load) }
    }
  }
}

const RELOADED = 'deskflow:reloaded-for-code'

/**
 * One automatic reload per tab session: a browser may remember a failed module download, and
 * a reload fetches everything afresh; a page whose code is missing for good must not reload again.
 */
function reloadOnce(): boolean {
  try {
    if (sessionStorage.getItem(RELOADED)) return false
    sessionStorage.setItem(RELOADED, String(Date.now()))
  } catch {
    return false
  }
  window.location.reload()
  return true
}

function retrying(load: Load): ComponentType {
  let loaded: ComponentType | null = null
  return function PageCodeRetry() {
    const [Page, setPage] = useState<ComponentType | null>(() => loaded)
    const [busy, setBusy] = useState(false)
    const running = useRef(false)

    const retry = useCallback(async () => {
      // One try at a time: a slow answer must not pile up tries behind it.
      if (running.current) return
      running.current = true
      setBusy(true)
      try {
        loaded = await load()
        setPage(() => loaded)
      } catch {
        const serverBack = await fetch('/health/live', { cache: 'no-store' }).then(
          (response) => response.ok,
          () => false,
        )
        if (serverBack) reloadOnce()
      } finally {
        running.current = false
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
