import { useId, type ReactNode } from 'react'
import * as RadixSwitch from '@radix-ui/react-switch'

export interface SwitchProps {
  label: string
  checked: boolean
  onCheckedChange: (checked: boolean) => void
  hint?: ReactNode
  disabled?: boolean
}

export function Switch({ label, checked, onCheckedChange, hint, disabled }: SwitchProps) {
  const id = useId()
  const hintId = `${id}-hint`
  return (
    <div className="switch-field">
      <RadixSwitch.Root
        id={id}
        className="switch"
        checked={checked}
        onCheckedChange={onCheckedChange}
        disabled={disabled}
        aria-describedby={hint ? hintId : undefined}
      >
        <RadixSwitch.Thumb className="switch-thumb" />
      </RadixSwitch.Root>
      <div>
        <label htmlFor={id} className="switch-label">
          {label}
        </label>
        {hint ? (
          <p id={hintId} className="field-hint">
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  )
}
