import { render, screen, waitFor } from '@testing-library/react'
import { expect } from 'vitest'
import userEvent from '@testing-library/user-event'
import { QueryClient } from '@tanstack/react-query'
import { createMemoryRouter, RouterProvider } from 'react-router'
import { AppProvider } from '@/app/provider'
import { routes } from '@/app/routes'

/** Renders the real route table at `path`, with a fresh cache that never retries. */
export function renderApp(path: string) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } })
  const router = createMemoryRouter(routes, { initialEntries: [path] })
  const user = userEvent.setup()
  const utils = render(
    <AppProvider queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProvider>,
  )
  return { ...utils, user, router, queryClient }
}

/** Waits until the API keys page has finished loading its list (or failed to). */
export async function waitForKeys() {
  await screen.findByRole('heading', { name: 'API Keys', level: 1 })
  await waitFor(() => expect(screen.queryByRole('status', { name: 'Loading API keys' })).not.toBeInTheDocument())
}

/** Waits until the webhooks page has finished loading its list (or failed to). */
export async function waitForWebhooks() {
  await screen.findByRole('heading', { name: 'Webhooks', level: 1 })
  await waitFor(() => expect(screen.queryByRole('status', { name: 'Loading webhooks' })).not.toBeInTheDocument())
}
