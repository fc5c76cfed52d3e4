import { useRef, useState } from 'react'
import { API_KEY_PREFIX, API_SECRET_PREFIX, KEY_SECRET_MAX_AGE_DAYS, KEY_UNUSED_DAYS, type ApiKey } from '@deskflow/shared'
import { ChartColumn, CircleCheck, CircleX, Clock, Eye, EyeOff, History, Pencil, RefreshCw, Trash2 } from 'lucide-react'
import { IconButton, IconLink } from '@/components/ui/button'
import { CopyButton } from '@/components/ui/copy-button'
import { MaskedValue } from '@/components/ui/masked-value'
import { formatDate, formatDateTime, formatRelativeTime, formatTimeOrDateTime, maskCredential } from '@/lib/format'
import { useNow } from '@/lib/use-now'
import { auditLogPath } from '@/lib/audit-log-path'
import { useViewerReason } from '@/lib/store-role'
import { permissionChips, reviewHints } from './key-facts'
import { RevealSecretDialog } from './reveal-secret-dialog'

export interface ApiKeyRowProps {
  storeKey: string
  apiKey: ApiKey
  onEdit: (apiKey: ApiKey) => void
  onDelete: (apiKey: ApiKey) => void
  onUsage: (apiKey: ApiKey) => void
  onRegenerate: (apiKey: ApiKey) => void
}

export function ApiKeyRow({ storeKey, apiKey, onEdit, onDelete, onUsage, onRegenerate }: ApiKeyRowProps) {
  const [keyRevealed, setKeyRevealed] = useState(false)
  // Remember which secret was revealed: after a regeneration the old one must not stay on screen.
  const [revealed, setRevealed] = useState<{ secret: string; last4: string } | null>(null)
  const secret = revealed && revealed.last4 === apiKey.secretLast4 ? revealed.secret : null
  const [askingPassword, setAskingPassword] = useState(false)
  const name = apiKey.description
  const now = useNow()
  const expired = apiKey.expiresAt !== null && new Date(apiKey.expiresAt).getTime() <= now
  const copySecret = useRef<HTMLButtonElement>(null)
  const chips = permissionChips(apiKey.permissions)
  const hints = reviewHints(apiKey, now)
  const cantChange = useViewerReason()
  const cantSeeSecret = useViewerReason('secret')
  const oldSecretUntil =
    apiKey.previousSecretExpiresAt && new Date(apiKey.previousSecretExpiresAt).getTime() > now ? apiKey.previousSecretExpiresAt : null

  return (
    <tr>
      <td data-label="Activated" className="cell-status">
        <div className="status-stack">
          <ActivatedStatus activated={apiKey.activated} expired={expired} />
          {expired ? <span className="badge badge-danger">Expired</span> : null}
        </div>
      </td>
      <td data-label="Description" className="cell-description">
        <div>
          <span className="description-text clamp" title={name}>
            {name}
          </span>
          {apiKey.permissions.length === 0 ? <span className="badge badge-warning">No permissions</span> : null}
          {chips.length > 0 ? (
            <ul className="chips" aria-label={`Permissions of ${name}`}>
              {chips.map((chip) => (
                <li key={chip} className="chip">
                  {chip}
                </li>
              ))}
            </ul>
          ) : null}
          <span className="cell-sub">
            Created{' '}
            <time dateTime={apiKey.createdAt} title={formatDateTime(apiKey.createdAt)}>
              {formatDate(apiKey.createdAt)}
            </time>
            {apiKey.expiresAt ? (
              <>
                {' · '}
                {expired ? 'Expired' : 'Expires'}{' '}
                <time dateTime={apiKey.expiresAt} title={formatDateTime(apiKey.expiresAt)}>
                  {formatDate(apiKey.expiresAt)}
                </time>
              </>
            ) : null}
          </span>
          {hints.unused || hints.oldSecret ? (
            <span className="review-hints">
              {hints.unused ? <span className="badge badge-warning">Unused {KEY_UNUSED_DAYS}+ days</span> : null}
              {hints.oldSecret ? <span className="badge badge-warning">Secret {KEY_SECRET_MAX_AGE_DAYS}+ days old</span> : null}
            </span>
          ) : null}
        </div>
      </td>
      <td data-label="API Key">
        <div className="credential-cell">
          <MaskedValue value={apiKey.key} masked={maskCredential(API_KEY_PREFIX, apiKey.key.slice(-4))} revealed={keyRevealed} />
          <IconButton
            label={`${keyRevealed ? 'Hide' : 'Show'} API key for ${name}`}
            tooltip={keyRevealed ? 'Hide key' : 'Show key'}
            icon={keyRevealed ? <EyeOff size={16} aria-hidden /> : <Eye size={16} aria-hidden />}
            onClick={() => setKeyRevealed((on) => !on)}
          />
          <CopyButton compact value={apiKey.key} label={`Copy API key for ${name}`} what="API key" />
        </div>
      </td>
      <td data-label="API Secret">
        <div className="credential-cell">
          <MaskedValue value={secret} masked={maskCredential(API_SECRET_PREFIX, apiKey.secretLast4)} revealed={secret !== null} />
          {secret === null ? (
            <IconButton
              label={`Show API secret for ${name}`}
              tooltip="Show secret"
              icon={<Eye size={16} aria-hidden />}
              onClick={() => setAskingPassword(true)}
              disabledReason={cantSeeSecret}
            />
          ) : (
            <>
              <IconButton
                label={`Hide API secret for ${name}`}
                tooltip="Hide secret"
                icon={<EyeOff size={16} aria-hidden />}
                onClick={() => setRevealed(null)}
              />
              <CopyButton ref={copySecret} compact value={secret} label={`Copy API secret for ${name}`} what="API secret" />
            </>
          )}
        </div>
        {oldSecretUntil ? (
          <span className="badge badge-info old-secret" title={formatDateTime(oldSecretUntil)}>
            {/* One span: a flex badge would drop the space before the time. */}
            <span>
              Old secret valid until <time dateTime={oldSecretUntil}>{formatTimeOrDateTime(oldSecretUntil, now)}</time>
            </span>
          </span>
        ) : null}
        <RevealSecretDialog
          storeKey={storeKey}
          apiKey={apiKey}
          open={askingPassword}
          onOpenChange={setAskingPassword}
          onRevealed={(value) => setRevealed({ secret: value, last4: apiKey.secretLast4 })}
          // "Show" became "Hide" and "Copy": land on Copy, the likely next step.
          returnFocus={() => copySecret.current}
        />
      </td>
      <td data-label="Last used" className="cell-muted">
        {apiKey.lastUsedAt ? (
          <div className="last-used">
            <time dateTime={apiKey.lastUsedAt} title={formatDateTime(apiKey.lastUsedAt)}>
              {formatRelativeTime(apiKey.lastUsedAt, now)}
            </time>
            {apiKey.lastUsedIp ? (
              <span className="cell-sub">
                <span className="sr-only">from </span>
                <code>{apiKey.lastUsedIp}</code>
              </span>
            ) : null}
          </div>
        ) : (
          'Never'
        )}
      </td>
      <td data-label="Actions" className="cell-actions">
        <div className="row-actions">
          <IconButton
            label={`Usage for ${name}`}
            tooltip="Usage"
            icon={<ChartColumn size={16} aria-hidden />}
            onClick={() => onUsage(apiKey)}
          />
          <IconLink
            label={`History of ${name}`}
            tooltip="History"
            icon={<History size={16} aria-hidden />}
            to={auditLogPath(storeKey, { targetId: apiKey.id })}
          />
          <IconButton
            label={`Edit ${name}`}
            tooltip="Edit"
            icon={<Pencil size={16} aria-hidden />}
            onClick={() => onEdit(apiKey)}
            disabledReason={cantChange}
          />
          <IconButton
            label={`Regenerate the secret of ${name}`}
            tooltip="Regenerate secret"
            icon={<RefreshCw size={16} aria-hidden />}
            onClick={() => onRegenerate(apiKey)}
            disabledReason={cantChange}
          />
          <IconButton
            label={`Delete ${name}`}
            tooltip="Delete"
            tone="danger"
            icon={<Trash2 size={16} aria-hidden />}
            onClick={() => onDelete(apiKey)}
            disabledReason={cantChange}
          />
        </div>
      </td>
    </tr>
  )
}

/**
 * Whether the key is switched on. An expired key is refused whatever the switch says, so it gets a
 * neutral clock instead of the green check; the badge beside it says "Expired".
 */
function ActivatedStatus({ activated, expired }: { activated: boolean; expired: boolean }) {
  const label = activated ? 'Active' : 'Inactive'
  const tone = expired ? 'expired' : activated ? 'on' : 'off'
  const Icon = { expired: Clock, on: CircleCheck, off: CircleX }[tone]
  return (
    <span className={`status status-${tone}`} title={expired ? `${label}, but expired` : label}>
      <Icon size={18} aria-hidden />
      <span className="sr-only">{label}</span>
    </span>
  )
}
