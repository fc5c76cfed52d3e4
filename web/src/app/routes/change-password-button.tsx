import { useState } from 'react'
import { LockKeyhole } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { ChangePasswordDialog } from '@/features/auth/components/change-password-dialog'

/** Beside Sign out: the signed-in admin's own password. On a phone, the icon alone (the name stays for screen readers). */
export function ChangePasswordButton() {
  const [open, setOpen] = useState(false)
  return (
    <>
      <Button variant="ghost" size="sm" icon={<LockKeyhole size={16} aria-hidden />} onClick={() => setOpen(true)}>
        <span className="topbar-action-label">Change password</span>
      </Button>
      <ChangePasswordDialog open={open} onOpenChange={setOpen} />
    </>
  )
}
