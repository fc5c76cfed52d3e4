import type { FastifyPluginAsync } from 'fastify'
import type { Container } from '../container'
import type { PresentedKey, VerifiedApiKey } from '../features/api-keys/verify'
import { countUsage, createKeyAdmission, currentDraftFields } from '../features/integrator/auth'
import { eventRoutes } from '../features/integrator/events-routes'
import { integratorRoutes } from '../features/integrator/routes'

/**
 * The integrator API (`/v1/…`): HTTP Basic with an API key, failed authentications
 * limited per address and per key, each key's own rate limit, and every answer counted
 * in the key's usage.
 */
export const integratorScope: FastifyPluginAsync<{ services: Container }> = async (v1, { services }) => {
  const { config } = services
  // Declared up front, so that every request object of the scope has one shape (Fastify's
  // advice): properties added by the hooks afterwards would make each request change shape.
  v1.decorateRequest('presentedKey', null as unknown as PresentedKey)
  v1.decorateRequest('apiKey', null as unknown as VerifiedApiKey)
  v1.decorateRequest('usageKey', undefined)
  const admission = createKeyAdmission({
    verify: services.verifyApiKey,
    limits: {
      perAddress: v1.createRateLimit({
        max: config.API_AUTH_FAILURE_LIMIT_PER_ADDRESS,
        timeWindow: 60_000,
        keyGenerator: (req) => `api-auth-failures|address|${req.ip}`,
      }),
      perKey: v1.createRateLimit({
        max: config.API_AUTH_FAILURE_LIMIT_PER_KEY,
        timeWindow: 60_000,
        keyGenerator: (req) => `api-auth-failures|key|${req.usageKey?.apiKeyId}`,
      }),
    },
    rateLimit: v1.rateLimit({
      max: (request) => request.apiKey.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => `key|${request.apiKey.apiKeyId}`,
    }),
  })
  v1.addHook('onRequest', admission.onRequest)
  v1.addHook('onSend', currentDraftFields)
  v1.addHook('onResponse', countUsage(services.usageRecorder, services.metrics))
  await v1.register(integratorRoutes, {
    services: { ...services.catalog, orders: services.orders },
    admission,
    idempotency: services.idempotency,
  })
  await v1.register(eventRoutes, { feed: services.events, admission })
}
