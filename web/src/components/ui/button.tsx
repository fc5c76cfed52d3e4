import type { ButtonHTMLAttributes, ReactNode, Ref } from 'react'
import * as Tooltip from '@radix-ui/react-tooltip'
import { Link } from 'react-router'
import { Spinner } from './spinner'

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger'

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant
  size?: 'sm' | 'md'
  loading?: boolean
  icon?: ReactNode
  ref?: Ref<HTMLButtonElement>
}

export function Button({
  variant = 'secondary',
  size = 'md',
  loading = false,
  icon,
  className,
  children,
  disabled,
  type = 'button',
  ...rest
}: ButtonProps) {
  return (
    <button
      type={type}
      className={['btn', `btn-${variant}`, `btn-${size}`, className].filter(Boolean).join(' ')}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      {...rest}
    >
      {loading ? <Spinner size={14} /> : icon}
      {children}
    </button>
  )
}

export interface IconButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'aria-label' | 'children'> {
  /** The accessible name; also shown as the tooltip unless `tooltip` says otherwise. */
  label: string
  tooltip?: string
  icon: ReactNode
  tone?: 'default' | 'danger'
  ref?: Ref<HTMLButtonElement>
}

/** An icon's trigger with its tooltip: the accessible name unless `tooltip` says otherwise. */
function WithTooltip({ label, tooltip, children }: { label: string; tooltip?: string | undefined; children: ReactNode }) {
  return (
    <Tooltip.Root>
      <Tooltip.Trigger asChild>{children}</Tooltip.Trigger>
      <Tooltip.Portal>
        <Tooltip.Content className="tooltip" sideOffset={6} aria-hidden>
          {tooltip ?? label}
        </Tooltip.Content>
      </Tooltip.Portal>
    </Tooltip.Root>
  )
}

export function IconButton({ label, tooltip, icon, tone = 'default', className, type = 'button', ...rest }: IconButtonProps) {
  return (
    <WithTooltip label={label} tooltip={tooltip}>
      <button
        type={type}
        aria-label={label}
        className={['icon-btn', tone === 'danger' && 'icon-btn-danger', className].filter(Boolean).join(' ')}
        {...rest}
      >
        {icon}
      </button>
    </WithTooltip>
  )
}

/** An icon-only link that looks like an `IconButton`: for actions that open another page. */
export function IconLink({ label, tooltip, icon, to }: { label: string; tooltip?: string; icon: ReactNode; to: string }) {
  return (
    <WithTooltip label={label} tooltip={tooltip}>
      <Link to={to} aria-label={label} className="icon-btn">
        {icon}
      </Link>
    </WithTooltip>
  )
}
