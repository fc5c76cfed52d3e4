import { useId, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react'

interface FieldFrameProps {
  label: string
  error?: string | undefined
  hint?: ReactNode
  /** Shown at the label's right, e.g. a character counter. */
  aside?: ReactNode
  className?: string | undefined
}

/** Label, hint and error around one control, wired so the hint and error are announced with it. */
function FieldFrame({
  label,
  error,
  hint,
  aside,
  className,
  control,
}: FieldFrameProps & {
  control: (props: { id: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined }) => ReactNode
}) {
  const id = useId()
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined
  return (
    <div className={['field', error && 'field-invalid', className].filter(Boolean).join(' ')}>
      <div className="field-label-row">
        <label htmlFor={id} className="field-label">
          {label}
        </label>
        {aside}
      </div>
      {control({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  )
}

/** A field's props split in two: the frame's (label, hint, error…) and the control's own. */
function splitFrame<P extends FieldFrameProps>({ label, error, hint, aside, className, ...control }: P) {
  return [{ label, error, hint, aside, className }, control] as const
}

export interface FieldProps extends FieldFrameProps, Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className'> {
  ref?: Ref<HTMLInputElement>
}

/** A labelled input whose hint and error are announced with it. */
export function Field(props: FieldProps) {
  const [frame, input] = splitFrame(props)
  return <FieldFrame {...frame} control={(wiring) => <input className="input" {...wiring} {...input} />} />
}

export interface TextAreaFieldProps extends FieldFrameProps, Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'className'> {
  ref?: Ref<HTMLTextAreaElement>
}

export function TextAreaField(props: TextAreaFieldProps) {
  const [frame, textarea] = splitFrame(props)
  return <FieldFrame {...frame} control={(wiring) => <textarea className="input textarea" {...wiring} {...textarea} />} />
}

export interface SelectFieldProps extends FieldFrameProps, Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'className'> {
  ref?: Ref<HTMLSelectElement>
}

/** A labelled native select; pass the `<option>`s as children. */
export function SelectField(props: SelectFieldProps) {
  const [frame, select] = splitFrame(props)
  return <FieldFrame {...frame} control={(wiring) => <select className="input select" {...wiring} {...select} />} />
}

/** The signed-in admin's own password, as sign-in and every password check ask for it. */
export function CurrentPasswordField(props: Omit<FieldProps, 'label' | 'type' | 'name' | 'autoComplete' | 'required'>) {
  return <Field label="Password" type="password" name="password" autoComplete="current-password" required {...props} />
}
