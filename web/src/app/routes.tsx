import type { RouteObject } from 'react-router'
import { Navigate } from 'react-router'
import { RootLayout } from './routes/root'
import { RouteError } from './routes/route-error'
import { PageSpinner } from '@/components/ui/spinner'
import { CHOOSE_PASSWORD_PATH } from '@/lib/safe-redirect'
import { lazyPage } from './lazy-page'

/** The route table, shared by the browser router and the tests' memory router. */
export const routes: RouteObject[] = [
  {
    element: <RootLayout />,
    errorElement: <RouteError />,
    hydrateFallbackElement: <PageSpinner />,
    children: [
      { path: '/login', lazy: lazyPage(async () => (await import('./routes/login')).LoginRoute) },
      {
        path: CHOOSE_PASSWORD_PATH,
        lazy: lazyPage(async () => (await import('./routes/choose-password')).ChoosePasswordRoute),
      },
      { path: '/', lazy: lazyPage(async () => (await import('./routes/home')).HomeRoute) },
      {
        path: '/store/:key',
        lazy: lazyPage(async () => (await import('./routes/store-layout')).StoreLayout),
        children: [
          { index: true, element: <Navigate to="settings/api" replace /> },
          { path: 'settings', element: <Navigate to="api" replace /> },
          { path: 'settings/api', lazy: lazyPage(async () => (await import('./routes/settings-api')).SettingsApiRoute) },
          {
            path: 'settings/webhooks',
            lazy: lazyPage(async () => (await import('./routes/settings-webhooks')).SettingsWebhooksRoute),
          },
          {
            path: 'settings/webhooks/:id',
            lazy: lazyPage(async () => (await import('./routes/settings-webhook')).SettingsWebhookRoute),
          },
          { path: 'settings/usage', lazy: lazyPage(async () => (await import('./routes/settings-usage')).SettingsUsageRoute) },
          {
            path: 'settings/audit-log',
            lazy: lazyPage(async () => (await import('./routes/settings-audit-log')).SettingsAuditLogRoute),
          },
          { path: 'settings/team', lazy: lazyPage(async () => (await import('./routes/settings-team')).SettingsTeamRoute) },
          { path: '*', lazy: lazyPage(async () => (await import('./routes/not-found')).NotFoundRoute) },
        ],
      },
      { path: '*', lazy: lazyPage(async () => (await import('./routes/not-found')).NotFoundRoute) },
    ],
  },
]
