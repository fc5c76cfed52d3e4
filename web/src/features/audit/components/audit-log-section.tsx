import { Link, useSearchParams } from 'react-router'
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES, type AuditAction, type AuditEntry, type AuditTargetType } from '@deskflow/shared'
import { ScrollText, ListX } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { EmptyState } from '@/components/ui/empty-state'
import { ErrorState } from '@/components/ui/error-state'
import { LoadMore } from '@/components/ui/load-more'
import { SkeletonRows } from '@/components/ui/skeleton-rows'
import { formatDateTime, formatRelativeTime } from '@/lib/format'
import { useNow } from '@/lib/use-now'
import { uniqueById } from '@/lib/unique-by-id'
import { useAuditLog, type AuditFilters } from '../api/get-audit-log'
import { auditLogPath } from '@/lib/audit-log-path'
import { actionLabel, ACTION_LABELS, detailLines } from './audit-entry'

const TARGET_LABELS: Record<AuditTargetType, string> = { api_key: 'API key', webhook: 'Webhook', member: 'Member' }
const ACTION_GROUPS: { label: string; actions: AuditAction[] }[] = [
  { label: 'API keys', actions: AUDIT_ACTIONS.filter((a) => a.startsWith('api_key.')) },
  { label: 'Webhooks', actions: AUDIT_ACTIONS.filter((a) => a.startsWith('webhook.')) },
  { label: 'Team', actions: AUDIT_ACTIONS.filter((a) => a.startsWith('member.')) },
]

const oneOf = <T extends string>(options: readonly T[], value: string | null): T | undefined =>
  options.includes(value as T) ? (value as T) : undefined

export function AuditLogSection({ storeKey }: { storeKey: string }) {
  const [params, setParams] = useSearchParams()
  const filters: AuditFilters = {
    action: oneOf(AUDIT_ACTIONS, params.get('action')),
    targetType: oneOf(AUDIT_TARGET_TYPES, params.get('targetType')),
    targetId: params.get('targetId') || undefined,
  }
  const log = useAuditLog(storeKey, filters)
  const now = useNow()
  const rows = log.data ? uniqueById(log.data.pages.flatMap((page) => page.data)) : []
  const filtered = Boolean(filters.action || filters.targetType || filters.targetId)

  function setFilter(name: keyof AuditFilters, value: string) {
    setParams(
      (current) => {
        const next = new URLSearchParams(current)
        if (value) next.set(name, value)
        else next.delete(name)
        return next
      },
      { replace: true },
    )
  }

  const historyOf = filters.targetId ? (rows.find((e) => e.targetId === filters.targetId)?.targetLabel ?? filters.targetId) : null

  let content
  if (log.isPending) content = <SkeletonRows label="Loading the audit log" />
  else if (log.isError && !log.data)
    content = (
      <ErrorState
        title="Couldn't load the audit log"
        message={log.error.message}
        onRetry={() => void log.refetch()}
        retrying={log.isFetching}
      />
    )
  else if (rows.length === 0)
    content = filtered ? (
      <EmptyState icon={<ListX size={22} aria-hidden />} title="No entries match these filters">
        <p>
          <Link to={auditLogPath(storeKey)}>Show every entry</Link>
        </p>
      </EmptyState>
    ) : (
      <EmptyState icon={<ScrollText size={22} aria-hidden />} title="Nothing recorded yet">
        <p>
          Every change to an API key, a webhook or the team, and every time a secret is shown, is recorded here with who did it and from
          where.
        </p>
      </EmptyState>
    )
  else
    content = (
      <>
        <div className="table-wrap">
          <table className="table audit-table">
            <caption className="sr-only">Audit log</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Who</th>
                <th scope="col">Address</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((entry) => (
                <AuditRow key={entry.id} storeKey={storeKey} entry={entry} now={now} />
              ))}
            </tbody>
          </table>
        </div>
        <LoadMore query={log} />
      </>
    )

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">Audit log</h1>
          <p className="page-lead">
            Who created, changed or deleted an API key or a webhook, who was shown a secret, and who changed the team: when, from which
            address and what changed. Newest first.
          </p>
        </div>
      </div>
      {historyOf !== null ? (
        <div className="audit-history" role="status">
          <span>
            History of <strong>“{historyOf}”</strong>
          </span>
          <Button size="sm" onClick={() => setFilter('targetId', '')}>
            Show every target
          </Button>
        </div>
      ) : null}
      <div className="section-tools audit-filters">
        <label className="audit-filter">
          <span>Action</span>
          <select className="input select" value={filters.action ?? ''} onChange={(e) => setFilter('action', e.target.value)}>
            <option value="">All actions</option>
            {ACTION_GROUPS.map((group) => (
              <optgroup key={group.label} label={group.label}>
                {group.actions.map((action) => (
                  <option key={action} value={action}>
                    {ACTION_LABELS[action]}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label className="audit-filter">
          <span>About</span>
          <select className="input select" value={filters.targetType ?? ''} onChange={(e) => setFilter('targetType', e.target.value)}>
            <option value="">Everything</option>
            {AUDIT_TARGET_TYPES.map((type) => (
              <option key={type} value={type}>
                {TARGET_LABELS[type]}s
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="card">{content}</div>
    </>
  )
}

function AuditRow({ storeKey, entry, now }: { storeKey: string; entry: AuditEntry; now: number }) {
  const type = oneOf(AUDIT_TARGET_TYPES, entry.targetType)
  const name = entry.targetLabel ?? entry.targetId
  const details = detailLines(entry)
  return (
    <tr>
      <td data-label="When" className="cell-muted">
        <time dateTime={entry.createdAt} title={formatDateTime(entry.createdAt)}>
          {formatRelativeTime(entry.createdAt, now)}
        </time>
      </td>
      <td data-label="Action">{actionLabel(entry.action)}</td>
      <td data-label="Target" className="cell-target">
        <div>
          <Link
            to={auditLogPath(storeKey, { targetId: entry.targetId })}
            className="clamp break-all"
            title={`History of ${name}`}
            aria-label={`History of ${type ? TARGET_LABELS[type] : entry.targetType} “${name}”`}
          >
            {name}
          </Link>
          <span className="cell-sub">{type ? TARGET_LABELS[type] : entry.targetType}</span>
        </div>
      </td>
      <td data-label="Who">
        {entry.actor ? <span className="break-all">{entry.actor.email}</span> : <span className="cell-muted">Removed admin</span>}
      </td>
      <td data-label="Address">{entry.ip ? <code>{entry.ip}</code> : <span className="cell-muted">Unknown</span>}</td>
      <td data-label="Details" className="cell-details">
        {details.length > 0 ? (
          <ul className="audit-details">
            {details.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ) : (
          <span className="cell-muted">—</span>
        )}
      </td>
    </tr>
  )
}
