import { useNavigate } from 'react-router'
import { LogOut } from 'lucide-react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { useLogout } from '@/features/auth/api/logout'

export function SignOutButton() {
  const navigate = useNavigate()
  const logout = useLogout(() => navigate('/login', { replace: true }))
  return (
    <Button
      variant="ghost"
      size="sm"
      icon={<LogOut size={16} aria-hidden />}
      loading={logout.isPending}
      onClick={() =>
        logout.mutate(undefined, {
          onError: (error) => toast.error(`Couldn't sign out: ${error.message} You are still signed in; try again.`),
        })
      }
    >
      Sign out
    </Button>
  )
}
