/** Placeholder rows while a table loads; `label` is what a screen reader hears, e.g. "Loading API keys". */
export function SkeletonRows({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <div className="skeleton-list" role="status" aria-label={label}>
      {Array.from({ length: rows }, (_, i) => (
        <div className="skeleton-row" key={i}>
          <span className="skeleton skeleton-dot" />
          <span className="skeleton skeleton-text" />
          <span className="skeleton skeleton-text skeleton-wide" />
          <span className="skeleton skeleton-text" />
        </div>
      ))}
    </div>
  )
}
