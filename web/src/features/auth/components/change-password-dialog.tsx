import { toast } from 'sonner'
import { FormModal, saveState } from '@/components/ui/form-modal'
import { useChangePassword } from '../api/change-password'
import { ChangePasswordForm, serverPasswordErrors } from './change-password-form'

const FORM_ID = 'change-password-form'

/** The signed-in admin's own password, changed in a dialog; their other sessions are signed out. */
export function ChangePasswordDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const change = useChangePassword()

  function close() {
    if (change.isPending) return
    change.reset()
    onOpenChange(false)
  }

  return (
    <FormModal
      open={open}
      onClose={close}
      title="Change password"
      description="You stay signed in here; every other browser or device signed in as you is signed out."
      formId={FORM_ID}
      pending={change.isPending}
      error={change.error}
      formError={serverPasswordErrors(change.error).form}
    >
      {/* The dialog unmounts its content once closed: the typed passwords go with it. */}
      <ChangePasswordForm
        id={FORM_ID}
        {...saveState(change)}
        onSubmit={(body) =>
          change.mutate(body, {
            onSuccess: () => {
              toast.success('Password changed')
              change.reset()
              onOpenChange(false)
            },
          })
        }
      />
    </FormModal>
  )
}
