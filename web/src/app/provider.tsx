import { useState, type ReactNode } from 'react'
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query'
import * as Tooltip from '@radix-ui/react-tooltip'
import { Toaster } from 'sonner'
import { createQueryClient } from '@/lib/query-client'

export function AppProvider({ children, queryClient }: { children: ReactNode; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient())
  return (
    <QueryClientProvider client={client}>
      <Tooltip.Provider delayDuration={300}>
        {children}
        <Toaster position="bottom-right" closeButton richColors toastOptions={{ duration: 3000 }} />
      </Tooltip.Provider>
    </QueryClientProvider>
  )
}
