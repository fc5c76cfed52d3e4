import { useState, type FormEvent } from 'react'
import type { Member, StoreRole } from '@deskflow/shared'
import { toast } from 'sonner'
import { FormModal } from '@/components/ui/form-modal'
import { isApiError } from '@/lib/api-client'
import { sentence } from '@/lib/format'
import { useUpdateMember } from '../api/update-member'
import { RoleField } from './role-field'
import { ROLE_LABELS } from './roles'

const FORM_ID = 'change-role-form'

/** A member's role in a dialog: takes effect on their very next request. */
export function ChangeRoleDialog({ storeKey, member, onClose }: { storeKey: string; member: Member | null; onClose: () => void }) {
  const update = useUpdateMember(storeKey)
  const roleError = isApiError(update.error) ? update.error.fieldError('role') : undefined

  function close() {
    if (update.isPending) return
    update.reset()
    onClose()
  }

  return (
    <FormModal
      open={member !== null}
      onClose={close}
      title={member ? `Change the role of “${member.email}”` : 'Change role'}
      description="The new role applies from their very next click."
      formId={FORM_ID}
      pending={update.isPending}
      error={update.error}
      formError={update.error && !roleError ? update.error.message : undefined}
    >
      {member ? (
        <RoleForm
          // A fresh form for each member.
          key={member.adminId}
          member={member}
          error={roleError && sentence(roleError)}
          onEdit={() => update.isError && update.reset()}
          onSubmit={(role) => {
            if (role === member.role) {
              toast('No changes to save')
              close()
              return
            }
            update.mutate(
              { adminId: member.adminId, body: { role } },
              {
                onSuccess: () => {
                  toast.success(`${member.email} is now ${role === 'owner' ? 'an' : 'a'} ${ROLE_LABELS[role].toLowerCase()}`)
                  update.reset()
                  onClose()
                },
              },
            )
          }}
        />
      ) : null}
    </FormModal>
  )
}

function RoleForm({
  member,
  error,
  onEdit,
  onSubmit,
}: {
  member: Member
  error: string | undefined
  onEdit: () => void
  onSubmit: (role: StoreRole) => void
}) {
  const [role, setRole] = useState<StoreRole>(member.role)
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    onSubmit(role)
  }
  return (
    <form id={FORM_ID} onSubmit={submit}>
      <RoleField
        name="change-role"
        value={role}
        error={error}
        onChange={(next) => {
          setRole(next)
          onEdit()
        }}
      />
    </form>
  )
}
