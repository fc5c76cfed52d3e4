import { RotateCw, TriangleAlert } from 'lucide-react'
import { isApiError } from '@/lib/api-client'
import { Button } from './button'

export function ErrorState({
  title = 'Something went wrong',
  message,
  onRetry,
  retrying = false,
}: {
  title?: string
  message: string
  onRetry?: () => void
  retrying?: boolean
}) {
  return (
    <div className="empty-state error-state" role="alert">
      <div className="empty-state-icon error-state-icon">
        <TriangleAlert size={22} aria-hidden />
      </div>
      <h2 className="empty-state-title">{title}</h2>
      <p className="empty-state-text">{message}</p>
      {onRetry ? (
        <div className="empty-state-action">
          <Button onClick={onRetry} loading={retrying} icon={<RotateCw size={16} aria-hidden />}>
            Retry
          </Button>
        </div>
      ) : null}
    </div>
  )
}

/** A list that failed to load: an unreachable server gets its own title, and the body says what to do rather than repeating it. */
export function LoadErrorState({ error, what, onRetry, retrying }: { error: Error; what: string; onRetry: () => void; retrying: boolean }) {
  const unreachable = isApiError(error) && error.isNetworkError
  return (
    <ErrorState
      title={unreachable ? "Can't reach the server" : `Couldn't load ${what}`}
      message={unreachable ? 'Check your connection, then press Retry.' : error.message}
      onRetry={onRetry}
      retrying={retrying}
    />
  )
}
