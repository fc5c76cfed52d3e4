import type { ReactNode } from 'react'

export function EmptyState({
  icon,
  title,
  children,
  action,
  as: Heading = 'p',
}: {
  icon?: ReactNode
  title: string
  children?: ReactNode
  action?: ReactNode
  as?: 'h1' | 'h2' | 'p'
}) {
  return (
    <div className="empty-state">
      {icon ? <div className="empty-state-icon">{icon}</div> : null}
      <Heading className="empty-state-title">{title}</Heading>
      {children ? <div className="empty-state-text">{children}</div> : null}
      {action ? <div className="empty-state-action">{action}</div> : null}
    </div>
  )
}
