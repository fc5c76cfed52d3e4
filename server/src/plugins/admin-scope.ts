import type { FastifyPluginAsync } from 'fastify'
import { roleAtLeast, type StoreRole } from '@deskflow/shared'
import type { StoreRow } from '../db/schema'
import { requireAdmin } from '../http/auth'
import { refuseCrossSite } from '../http/csrf'
import { AppError } from '../lib/errors'
import type { Container } from '../container'
import { apiKeyRoutes } from '../features/api-keys/routes'
import { auditRoutes } from '../features/audit/routes'
import { OWNERS_ONLY } from '../features/stores/service'
import { teamRoutes } from '../features/stores/routes'
import { usageRoutes } from '../features/usage/routes'
import { webhookRoutes } from '../features/webhooks/routes'

declare module 'fastify' {
  interface FastifyRequest {
    /** The store of `/stores/:key/…`, of which the signed-in admin is a member. */
    store: StoreRow
  }
  interface FastifyContextConfig {
    /** The least role an admin route needs: by default a viewer reads and a developer changes. */
    minimumRole?: StoreRole
  }
}

/** Why a role falls short of a route's, by the role it needs. */
const REFUSALS: Record<Exclude<StoreRole, 'viewer'>, string> = {
  developer: 'Viewers of this store can read its lists, usage and logs; changes and secrets need a developer or an owner',
  owner: OWNERS_ONLY,
}

/**
 * The admin API of a store (`/stores/:key/…`): refused when a page of another origin
 * sent it, then only for a signed-in admin who is a member of the store, before the body
 * is read or validated (a stranger learns nothing about what a route accepts); the store
 * is resolved once, and one the admin is not a member of answers 404 like one that does
 * not exist. A viewer may only read; a route may ask for more (`config.minimumRole`: the team's
 * changes need an owner).
 */
export const adminScope: FastifyPluginAsync<{ services: Container }> = async (admin, { services }) => {
  admin.decorateRequest('store', null as unknown as StoreRow)
  admin.addHook('onRequest', refuseCrossSite)
  admin.addHook('onRequest', requireAdmin(services.auth.adminOfSession))
  // Before the body is read or validated, like the checks above: a change by a role short of
  // the route's is refused whatever it sends.
  admin.addHook('onRequest', async (request) => {
    const { key } = request.params as { key: string }
    const { store, role } = await services.stores.requireMember(request.admin.id, key)
    request.store = store
    // A viewer reads (lists, usage, logs); every change, and every secret shown, needs more.
    const reads = request.method === 'GET' || request.method === 'HEAD'
    const needed = request.routeOptions.config.minimumRole ?? (reads ? 'viewer' : 'developer')
    if (needed !== 'viewer' && !roleAtLeast(role, needed)) throw new AppError('forbidden', REFUSALS[needed])
  })
  await admin.register(apiKeyRoutes, { apiKeys: services.apiKeys })
  await admin.register(auditRoutes, { audit: services.audit })
  await admin.register(teamRoutes, { stores: services.stores })
  await admin.register(usageRoutes, { usage: services.usage })
  await admin.register(webhookRoutes, { webhooks: services.webhooks })
}
