import { useId, type ButtonHTMLAttributes, type MouseEvent, type ReactNode, type Ref } from 'react'
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
  /**
   * Set when the signed-in admin may not use this action (a viewer): the button stays in its
   * place and focusable, does nothing, and says why in a tooltip and its accessible description.
   */
  disabledReason?: string | undefined
}

/** What an unavailable button gets: marked disabled for assistive technology, its clicks ignored, described by the reason. */
function useUnavailable(reason: string | undefined, describedBy: string | undefined) {
  const id = useId()
  if (!reason) return { props: {}, description: null }
  return {
    props: {
      'aria-disabled': true,
      'aria-describedby': [describedBy, id].filter(Boolean).join(' '),
      onClick: (event: MouseEvent) => event.preventDefault(),
    },
    description: (
      <span id={id} className="sr-only">
        {reason}
      </span>
    ),
  }
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
  disabledReason,
  ...rest
}: ButtonProps) {
  const unavailable = useUnavailable(disabledReason, rest['aria-describedby'])
  const button = (
    <button
      type={type}
      className={['btn', `btn-${variant}`, `btn-${size}`, className].filter(Boolean).join(' ')}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      {...rest}
      {...unavailable.props}
    >
      {loading ? <Spinner size={14} /> : icon}
      {children}
    </button>
  )
  if (!disabledReason) return button
  return (
    <>
      <WithTooltip label={disabledReason}>{button}</WithTooltip>
      {unavailable.description}
    </>
  )
}

export interface IconButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'aria-label' | 'children'> {
  /** The accessible name; also shown as the tooltip unless `tooltip` says otherwise. */
  label: string
  tooltip?: string
  icon: ReactNode
  tone?: 'default' | 'danger'
  ref?: Ref<HTMLButtonElement>
  /** As a `Button`'s: the tooltip gives the reason after the action's name. */
  disabledReason?: string | undefined
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

export function IconButton({
  label,
  tooltip,
  icon,
  tone = 'default',
  className,
  type = 'button',
  disabledReason,
  ...rest
}: IconButtonProps) {
  const unavailable = useUnavailable(disabledReason, rest['aria-describedby'])
  return (
    <>
      <WithTooltip label={label} tooltip={disabledReason ? `${tooltip ?? label}: ${disabledReason}` : tooltip}>
        <button
          type={type}
          aria-label={label}
          className={['icon-btn', tone === 'danger' && 'icon-btn-danger', className].filter(Boolean).join(' ')}
          {...rest}
          {...unavailable.props}
        >
          {icon}
        </button>
      </WithTooltip>
      {unavailable.description}
    </>
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
