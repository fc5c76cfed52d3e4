import type { Member } from '@deskflow/shared'
import { toast } from 'sonner'
import { ConfirmDialog } from '@/components/ui/confirm-dialog'
import { useRemoveMember } from '../api/remove-member'

export function RemoveMemberDialog({
  storeKey,
  member,
  self,
  onClose,
  onRemovedSelf,
}: {
  storeKey: string
  member: Member | null
  /** The member is the signed-in admin. */
  self: boolean
  onClose: () => void
  /** The signed-in admin removed themselves: the store is no longer theirs to see. */
  onRemovedSelf: () => void
}) {
  const remove = useRemoveMember(storeKey)

  return (
    <ConfirmDialog
      open={member !== null}
      onOpenChange={(open) => {
        if (open) return
        remove.reset()
        onClose()
      }}
      title={member ? `Remove “${member.email}”?` : 'Remove member?'}
      description={
        self ? (
          <p>You lose access to this store at once; only an owner can add you again.</p>
        ) : (
          <>
            <p>They lose access to this store from their very next click. Their sign-in and their other stores stay as they are.</p>
            <p>An owner can add them again later.</p>
          </>
        )
      }
      confirmLabel="Remove"
      onConfirm={() => {
        if (!member) return
        remove.mutateAsync(member.adminId).then(
          () => {
            toast.success(self ? 'You left the store' : `${member.email} removed`)
            onClose()
            if (self) onRemovedSelf()
          },
          () => {},
        )
      }}
      pending={remove.isPending}
      error={remove.error?.message}
    />
  )
}
