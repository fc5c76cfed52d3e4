import { RotateCw, TriangleAlert } from 'lucide-react'
import { Button } from './button'

export function ErrorState({ title = 'Something went wrong', message, onRetry, retrying = false }: { title?: string; message: string; onRetry?: () => void; retrying?: boolean }) {
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
