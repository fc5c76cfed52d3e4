import { useState } from 'react'
import type { Member, StoreRole } from '@deskflow/shared'
import { Pencil, Plus, UserMinus, Users } from 'lucide-react'
import { Button, IconButton } from '@/components/ui/button'
import { DataTable } from '@/components/ui/data-table'
import { LoadErrorState } from '@/components/ui/error-state'
import { SkeletonRows } from '@/components/ui/skeleton-rows'
import { StoreNotFound } from '@/components/store-not-found'
import { isApiError } from '@/lib/api-client'
import { formatDate, formatDateTime } from '@/lib/format'
import { useMembers } from '../api/get-members'
import { AddMemberModal } from './add-member-modal'
import { ChangeRoleDialog } from './change-role-dialog'
import { RemoveMemberDialog } from './remove-member-dialog'
import { isOnlyOwner, ONLY_OWNER, ROLE_LABELS } from './roles'

const COLUMNS = ['Member', 'Role', 'Member since']

export interface TeamSectionProps {
  storeKey: string
  /** The signed-in admin's role here: only an owner changes the team. */
  role: StoreRole
  /** The signed-in admin, to mark their own row. */
  adminId: string | undefined
  /** After the signed-in admin removed themselves from the store. */
  onLeft: () => void
}

export function TeamSection({ storeKey, role, adminId, onLeft }: TeamSectionProps) {
  const members = useMembers(storeKey)
  const [adding, setAdding] = useState(false)
  const [changing, setChanging] = useState<Member | null>(null)
  const [removing, setRemoving] = useState<Member | null>(null)
  const owner = role === 'owner'

  if (isApiError(members.error) && members.error.status === 404) return <StoreNotFound storeKey={storeKey} />

  let content
  if (members.isPending) content = <SkeletonRows label="Loading the team" />
  else if (members.isError)
    content = <LoadErrorState error={members.error} what="the team" onRetry={() => void members.refetch()} retrying={members.isFetching} />
  else
    content = (
      <DataTable caption="Members" columns={COLUMNS} className="team-table" actions={owner}>
        {members.data.map((member) => (
          <MemberRow
            key={member.adminId}
            member={member}
            self={member.adminId === adminId}
            onlyOwner={isOnlyOwner(member, members.data)}
            canChange={owner}
            onChangeRole={setChanging}
            onRemove={setRemoving}
          />
        ))}
      </DataTable>
    )

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">Team</h1>
          <p className="page-lead">Who can open this store, and what each of them may do. A change applies from their very next click.</p>
        </div>
        {owner ? (
          <Button variant="primary" icon={<Plus size={16} aria-hidden />} onClick={() => setAdding(true)} data-page-action>
            Add member
          </Button>
        ) : null}
      </div>
      {owner ? null : (
        <p className="callout callout-info" role="note">
          <Users size={16} aria-hidden />
          <span>
            You are a {ROLE_LABELS[role].toLowerCase()} of this store: you can see its team. Only owners add members, change roles or remove
            members.
          </span>
        </p>
      )}
      <div className="card">{content}</div>
      {owner ? (
        <>
          <AddMemberModal storeKey={storeKey} open={adding} onOpenChange={setAdding} />
          <ChangeRoleDialog storeKey={storeKey} member={changing} onClose={() => setChanging(null)} />
          <RemoveMemberDialog
            storeKey={storeKey}
            member={removing}
            self={removing?.adminId === adminId}
            onClose={() => setRemoving(null)}
            onRemovedSelf={onLeft}
          />
        </>
      ) : null}
    </>
  )
}

function MemberRow({
  member,
  self,
  onlyOwner,
  canChange,
  onChangeRole,
  onRemove,
}: {
  member: Member
  self: boolean
  onlyOwner: boolean
  canChange: boolean
  onChangeRole: (member: Member) => void
  onRemove: (member: Member) => void
}) {
  const { email } = member
  return (
    <tr>
      <td data-label="Member" className="cell-member">
        <div>
          <span className="break-all">{email}</span>
          {self ? <span className="badge badge-info">You</span> : null}
        </div>
      </td>
      <td data-label="Role" className="cell-role">
        <div>
          <span>{ROLE_LABELS[member.role]}</span>
          {onlyOwner ? <span className="cell-sub">{ONLY_OWNER}</span> : null}
        </div>
      </td>
      <td data-label="Member since" className="cell-muted">
        <time dateTime={member.addedAt} title={formatDateTime(member.addedAt)}>
          {formatDate(member.addedAt)}
        </time>
      </td>
      {canChange ? (
        <td data-label="Actions" className="cell-actions">
          <div className="row-actions">
            <IconButton
              label={`Change the role of ${email}`}
              tooltip="Change role"
              icon={<Pencil size={16} aria-hidden />}
              onClick={() => onChangeRole(member)}
              disabledReason={onlyOwner ? ONLY_OWNER : undefined}
            />
            <IconButton
              label={`Remove ${email}`}
              tooltip="Remove"
              tone="danger"
              icon={<UserMinus size={16} aria-hidden />}
              onClick={() => onRemove(member)}
              disabledReason={onlyOwner ? ONLY_OWNER : undefined}
            />
          </div>
        </td>
      ) : null}
    </tr>
  )
}
