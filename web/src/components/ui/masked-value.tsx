export interface MaskedValueProps {
  /** The full value, or null while it is hidden or unknown. */
  value: string | null
  masked: string
  revealed: boolean
}

/** A credential shown masked by default; the full value only while revealed. */
export function MaskedValue({ value, masked, revealed }: MaskedValueProps) {
  const show = revealed && value !== null
  return (
    <code
      className={show ? 'credential credential-revealed' : 'credential'}
      data-masked={!show || undefined}
      title={show ? value : undefined}
    >
      {show ? value : masked}
    </code>
  )
}
