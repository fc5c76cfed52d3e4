import { STORE_ROLES, type StoreRole } from '@deskflow/shared'
import { ROLE_ABILITIES, ROLE_LABELS } from './roles'

/** The three roles as radios, each with what it may do. */
export function RoleField({
  name,
  value,
  onChange,
  error,
  legend = 'Role',
}: {
  name: string
  value: StoreRole
  onChange: (role: StoreRole) => void
  error?: string | undefined
  legend?: string
}) {
  const errorId = `${name}-error`
  return (
    <fieldset className="radio-group role-field" aria-describedby={error ? errorId : undefined}>
      <legend className="field-label">{legend}</legend>
      {STORE_ROLES.map((role) => (
        <label key={role} className="radio role-option">
          {/* Named by the role alone; what it may do is its description. */}
          <input
            type="radio"
            name={name}
            value={role}
            checked={value === role}
            onChange={() => onChange(role)}
            aria-label={ROLE_LABELS[role]}
            aria-describedby={`${name}-${role}`}
          />
          <span>
            <span className="role-option-name" aria-hidden>
              {ROLE_LABELS[role]}
            </span>
            <span id={`${name}-${role}`} className="role-option-text">
              {ROLE_ABILITIES[role]}
            </span>
          </span>
        </label>
      ))}
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  )
}
