import { useEffect, useRef, useState, type Ref } from 'react'
import { Check, Copy } from 'lucide-react'
import { toast } from 'sonner'
import { copyText } from '@/lib/clipboard'
import { IconButton, Button } from './button'

export interface CopyButtonProps {
  value: string
  /** Accessible name, e.g. "Copy API key". */
  label: string
  /** What was copied, for the toast: "API key copied". */
  what: string
  /** Icon only (tables) or icon with a "Copy"/"Copied" text (credential panels). */
  compact?: boolean
  ref?: Ref<HTMLButtonElement>
}

export function CopyButton({ value, label, what, compact = false, ref }: CopyButtonProps) {
  const [copied, setCopied] = useState(false)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)

  useEffect(() => () => clearTimeout(timer.current), [])

  async function onCopy() {
    try {
      await copyText(value)
      setCopied(true)
      clearTimeout(timer.current)
      timer.current = setTimeout(() => setCopied(false), 2000)
      toast.success(`${what} copied`)
    } catch {
      toast.error(`Couldn't copy the ${what.toLowerCase()}. Select it and copy it by hand.`)
    }
  }

  const icon = copied ? <Check size={16} aria-hidden /> : <Copy size={16} aria-hidden />
  return (
    <>
      {compact ? (
        <IconButton
          ref={ref}
          label={label}
          tooltip={copied ? 'Copied' : 'Copy'}
          icon={icon}
          onClick={onCopy}
          data-copied={copied || undefined}
        />
      ) : (
        <Button ref={ref} size="sm" aria-label={label} icon={icon} onClick={onCopy} data-copied={copied || undefined}>
          {copied ? 'Copied' : 'Copy'}
        </Button>
      )}
      <span className="sr-only" role="status" aria-live="polite">
        {copied ? 'Copied' : ''}
      </span>
    </>
  )
}
