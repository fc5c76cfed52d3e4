import { Link } from 'react-router'
import { SearchX } from 'lucide-react'
import { EmptyState } from '@/components/ui/empty-state'

export function NotFoundRoute() {
  return (
    <div className="centered-page">
      <title>Page not found · Deskflow</title>
      <div className="card card-narrow">
        <EmptyState
          as="h1"
          icon={<SearchX size={22} aria-hidden />}
          title="Page not found"
          action={
            <Link className="btn btn-secondary btn-md" to="/">
              Go home
            </Link>
          }
        >
          <p>The page you are looking for does not exist.</p>
        </EmptyState>
      </div>
    </div>
  )
}
