import { Button } from './button'

interface PagedQuery {
  hasNextPage: boolean
  isFetchingNextPage: boolean
  isFetchNextPageError: boolean
  fetchNextPage: () => unknown
}

/** The foot of a paged list: "Load more" while the server has another page, and why the last try failed. */
export function LoadMore({ query }: { query: PagedQuery }) {
  if (!query.hasNextPage) return null
  return (
    <div className="load-more">
      {query.isFetchNextPageError && !query.isFetchingNextPage ? (
        <p role="alert" className="load-more-error">
          The next page could not be loaded. Check your connection and try again.
        </p>
      ) : null}
      <Button loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
        Load more
      </Button>
    </div>
  )
}
