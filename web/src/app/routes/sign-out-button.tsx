import { useNavigate } from 'react-router'
import { LogOut } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { useLogout } from '@/features/auth/api/logout'

export function SignOutButton() {
  const navigate = useNavigate()
  const logout = useLogout()
  return (
    <Button
      variant="ghost"
      size="sm"
      icon={<LogOut size={16} aria-hidden />}
      loading={logout.isPending}
      onClick={() => logout.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) })}
    >
      Sign out
    </Button>
  )
}
