import { useEffect } from 'react'
import { Outlet, useLocation, useNavigate } from 'react-router'
import { useQueryClient } from '@tanstack/react-query'
import { setUnauthorizedHandler } from '@/lib/api-client'

/** Turns any 401 into a trip to the login page that remembers where the admin was. */
export function RootLayout() {
  const navigate = useNavigate()
  const { pathname, search, hash } = useLocation()
  const queryClient = useQueryClient()

  useEffect(
    () =>
      setUnauthorizedHandler(() => {
        if (pathname === '/login') return
        // Clear once the protected page is gone: cleared queries that still have observers
        // refetch at once, and each would be one more 401 logged on the login page.
        void Promise.resolve(navigate(`/login?from=${encodeURIComponent(pathname + search + hash)}`, { replace: true })).then(() =>
          queryClient.clear(),
        )
      }),
    [pathname, search, hash, navigate, queryClient],
  )

  return <Outlet />
}
