import { useState, type ReactNode } from 'react'
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query'
import * as Tooltip from '@radix-ui/react-tooltip'
import { Toaster } from 'sonner'
import { createQueryClient } from '@/lib/query-client'
import { useMediaQuery } from '@/lib/use-media-query'

/** Phones: toasts at the top, dialogs sit lower (styles.css), so a toast never covers a dialog's buttons. */
export const PHONE = '(max-width: 600px)'

export function AppProvider({ children, queryClient }: { children: ReactNode; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient())
  const phone = useMediaQuery(PHONE)
  return (
    <QueryClientProvider client={client}>
      <Tooltip.Provider delayDuration={300}>
        {children}
        <Toaster position={phone ? 'top-center' : 'bottom-right'} closeButton richColors toastOptions={{ duration: 3000 }} />
      </Tooltip.Provider>
    </QueryClientProvider>
  )
}
