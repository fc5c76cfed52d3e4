import { useId } from 'react'
import * as RadixCheckbox from '@radix-ui/react-checkbox'
import { Check, Minus } from 'lucide-react'

export interface CheckboxProps {
  label: string
  checked: boolean | 'indeterminate'
  onCheckedChange: (checked: boolean) => void
  /** Hide the label visually (it stays the accessible name), e.g. inside a labelled grid. */
  hideLabel?: boolean
  disabled?: boolean
}

export function Checkbox({ label, checked, onCheckedChange, hideLabel = false, disabled }: CheckboxProps) {
  const id = useId()
  return (
    <span className="checkbox-field">
      <RadixCheckbox.Root
        id={id}
        className="checkbox"
        checked={checked}
        disabled={disabled}
        onCheckedChange={(value) => onCheckedChange(value === true)}
      >
        <RadixCheckbox.Indicator className="checkbox-indicator">
          {checked === 'indeterminate' ? <Minus size={12} strokeWidth={3} aria-hidden /> : <Check size={12} strokeWidth={3} aria-hidden />}
        </RadixCheckbox.Indicator>
      </RadixCheckbox.Root>
      <label htmlFor={id} className={hideLabel ? 'sr-only' : 'checkbox-label'}>
        {label}
      </label>
    </span>
  )
}
