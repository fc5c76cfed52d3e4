import { useEffect } from 'react'
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { meQueryOptions } from '@/features/auth/api/get-me'
import { setPasswordChangeHandler, setUnauthorizedHandler } from '@/lib/api-client'
import { CHOOSE_PASSWORD_PATH, choosePasswordPath } from '@/lib/safe-redirect'

/**
 * Turns any 401 into a trip to the login page that remembers where the admin was. An admin
 * signed in with a one-time password sees nothing but the page where they choose their own
 * (the server refuses them everything else with 403 `password_change_required`), then goes on.
 */
export function RootLayout() {
  const navigate = useNavigate()
  const { pathname, search, hash } = useLocation()
  const queryClient = useQueryClient()
  // Only what is known already (the sign-in's answer, a page's own read): nothing is fetched for this.
  const me = useQuery({ ...meQueryOptions(), enabled: false })
  const here = pathname + search + hash
  const open = pathname === '/login' || pathname === CHOOSE_PASSWORD_PATH

  useEffect(
    () =>
      setUnauthorizedHandler(() => {
        if (pathname === '/login') return
        // Clear once the protected page is gone: cleared queries that still have observers
        // refetch at once, and each would be one more 401 logged on the login page.
        void Promise.resolve(navigate(`/login?from=${encodeURIComponent(here)}`, { replace: true })).then(() => queryClient.clear())
      }),
    [pathname, here, navigate, queryClient],
  )

  useEffect(
    () =>
      setPasswordChangeHandler(() => {
        queryClient.setQueryData(meQueryOptions().queryKey, (known) => known && { ...known, passwordChangeRequired: true })
        if (!open) void navigate(choosePasswordPath(here), { replace: true })
      }),
    [open, here, navigate, queryClient],
  )

  if (me.data?.passwordChangeRequired && !open) return <Navigate to={choosePasswordPath(here)} replace />
  return <Outlet />
}
