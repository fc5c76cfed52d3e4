import type { WebhookStatus } from '@deskflow/shared'

const STATUS: Record<WebhookStatus, { label: string; className: string }> = {
  active: { label: 'Active', className: 'badge badge-success' },
  paused: { label: 'Paused', className: 'badge badge-warning' },
  disabled: { label: 'Disabled', className: 'badge badge-danger' },
}

export function WebhookStatusBadge({ status }: { status: WebhookStatus }) {
  const { label, className } = STATUS[status]
  return <span className={className}>{label}</span>
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`
}
