/** Headers as the wire shows them, one `name: value` per line. */
export function Headers({ headers }: { headers: Record<string, string> }) {
  const entries = Object.entries(headers)
  if (entries.length === 0) return <span className="term-muted">(no headers)</span>
  return (
    <>
      {entries.map(([name, value]) => (
        <div key={name} className="term-header">
          <span className="term-header-name">{name}:</span> {value}
        </div>
      ))}
    </>
  )
}

/** Pretty-prints JSON, leaves anything else as sent. */
export function formatBody(body: string): string {
  if (body.trim() === '') return body
  try {
    return JSON.stringify(JSON.parse(body), null, 2)
  } catch {
    return body
  }
}

export function Body({ body, truncated = false }: { body: string; truncated?: boolean }) {
  if (body === '') return <span className="term-muted">(empty body)</span>
  return (
    <>
      <pre className="term-pre">{formatBody(body)}</pre>
      {truncated ? <div className="term-muted">(truncated to 4 KB)</div> : null}
    </>
  )
}
