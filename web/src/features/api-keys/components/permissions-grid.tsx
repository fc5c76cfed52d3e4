import { PERMISSION_GROUPS, permissionLabel, type Permission } from '@deskflow/shared'
import { Checkbox } from '@/components/ui/checkbox'

const ALL: Permission[] = PERMISSION_GROUPS.flatMap((group) => [group.read, group.write])

/** Keeps permissions in the contract's order, whatever order they were ticked in. */
export function sortPermissions(permissions: Iterable<Permission>): Permission[] {
  const chosen = new Set(permissions)
  return ALL.filter((permission) => chosen.has(permission))
}

export function PermissionsGrid({
  value,
  onChange,
  disabled,
}: {
  value: Permission[]
  onChange: (next: Permission[]) => void
  disabled?: boolean
}) {
  const chosen = new Set(value)
  const allState = chosen.size === 0 ? false : chosen.size === ALL.length ? true : 'indeterminate'

  function toggle(permission: Permission, on: boolean) {
    const next = new Set(chosen)
    if (on) next.add(permission)
    else next.delete(permission)
    onChange(sortPermissions(next))
  }

  return (
    <fieldset className="permissions" disabled={disabled}>
      <legend className="field-label">Permissions</legend>
      <div className="permissions-head">
        <p className="field-hint">Grant only what the integration needs. Write does not include read.</p>
        <Checkbox label="Select all" checked={allState} onCheckedChange={(on) => onChange(on ? [...ALL] : [])} disabled={disabled} />
      </div>
      <div className="permissions-grid" role="group" aria-label="Permissions by resource">
        <span className="permissions-col-head" aria-hidden>
          Resource
        </span>
        <span className="permissions-col-head permissions-center" aria-hidden>
          Read
        </span>
        <span className="permissions-col-head permissions-center" aria-hidden>
          Write
        </span>
        {PERMISSION_GROUPS.map((group) => (
          <div className="permissions-row" key={group.resource}>
            <span className="permissions-resource">{group.label}</span>
            <span className="permissions-center">
              <Checkbox
                label={permissionLabel(group.read)}
                hideLabel
                checked={chosen.has(group.read)}
                onCheckedChange={(on) => toggle(group.read, on)}
                disabled={disabled}
              />
            </span>
            <span className="permissions-center">
              <Checkbox
                label={permissionLabel(group.write)}
                hideLabel
                checked={chosen.has(group.write)}
                onCheckedChange={(on) => toggle(group.write, on)}
                disabled={disabled}
              />
            </span>
          </div>
        ))}
      </div>
    </fieldset>
  )
}
