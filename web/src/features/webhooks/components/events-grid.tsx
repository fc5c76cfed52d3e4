import { EVENT_GROUPS, eventLabel, inCatalogueOrder, type EventType } from '@deskflow/shared'
import { Checkbox } from '@/components/ui/checkbox'

const COLUMNS = ['Create', 'Update', 'Delete']

/** The events a webhook receives, by resource and action; kept in the catalogue's order. */
export function EventsGrid({
  value,
  onChange,
  error,
  disabled,
}: {
  value: EventType[]
  onChange: (next: EventType[]) => void
  error?: string | undefined
  disabled?: boolean
}) {
  const chosen = new Set(value)

  function toggle(event: EventType, on: boolean) {
    const next = new Set(chosen)
    if (on) next.add(event)
    else next.delete(event)
    onChange(inCatalogueOrder(next))
  }

  return (
    <fieldset className="permissions" disabled={disabled} aria-describedby={error ? 'webhook-events-error' : undefined}>
      <legend className="field-label">Events</legend>
      <p className="field-hint">The events sent to this URL, each as its own request. Choose at least one.</p>
      <div className="permissions-grid events-grid" role="group" aria-label="Events by resource">
        <span className="permissions-col-head" aria-hidden>
          Resource
        </span>
        {COLUMNS.map((column) => (
          <span key={column} className="permissions-col-head permissions-center" aria-hidden>
            {column}
          </span>
        ))}
        {EVENT_GROUPS.map((group) => (
          <div className="permissions-row" key={group.resource}>
            <span className="permissions-resource">{group.label}</span>
            {group.events.map((event) => (
              <span key={event} className="permissions-center">
                <Checkbox
                  label={eventLabel(event)}
                  hideLabel
                  checked={chosen.has(event)}
                  onCheckedChange={(on) => toggle(event, on)}
                  disabled={disabled}
                />
              </span>
            ))}
          </div>
        ))}
      </div>
      {error ? (
        <p id="webhook-events-error" className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  )
}
