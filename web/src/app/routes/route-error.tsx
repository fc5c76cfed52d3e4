import { isRouteErrorResponse, useRouteError } from 'react-router'
import { ErrorState } from '@/components/ui/error-state'

export function RouteError() {
  const error = useRouteError()
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Unknown error'
  return (
    <main className="centered-page">
      <div className="card card-narrow">
        <ErrorState title="This page failed to load" message={message} onRetry={() => window.location.reload()} />
      </div>
    </main>
  )
}
