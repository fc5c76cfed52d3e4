import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Logger } from 'pino'
import type { Config } from './config'
import { createContainer, type Container } from './container'
import type { Database } from './db'
import { clientErrorHandler, frameworkErrors } from './http/error-handler'
import { randomBase62 } from './lib/ids'
import type { SecretBox } from './lib/secret-box'
import { behindProxy, fastifyTrustProxy } from './lib/trust-proxy'
import { authRoutes } from './features/auth/routes'
import { healthRoutes } from './features/health/routes'
import { EVENTS_TAG } from './features/integrator/events-routes'
import { INTEGRATOR_TAGS } from './features/integrator/routes'
import { adminScope } from './plugins/admin-scope'
import { inputAndErrors } from './plugins/input-and-errors'
import { integratorScope } from './plugins/integrator-scope'
import { openapi } from './plugins/openapi'
import { requestLog } from './plugins/request-log'
import { securityHeaders } from './plugins/security-headers'
import { sessionsAndLimits } from './plugins/sessions-and-limits'
import { webApp } from './plugins/web-app'

export interface AppOptions {
  config: Config
  logger: Logger
  /** The services to serve; built here (and closed with the app) when not given. */
  services?: Container
  database?: Database
  box?: SecretBox
}

function defaultWebDist(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist')
}

/** The HTTP API and the web app as a Fastify instance that never listens: main.ts and tests share it. */
export async function buildApp({ config, logger, services: given, database, box }: AppOptions) {
  if (!given && !(database && box)) throw new Error('buildApp needs its services, or a database and a secret box to build them')
  const services = given ?? createContainer({ config, database: database!, box: box!, logger })
  const newRequestId = () => `req_${randomBase62(16)}`
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: newRequestId,
    clientErrorHandler: clientErrorHandler(newRequestId),
    // One line per request (request-log) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: fastifyTrustProxy(config.TRUST_PROXY),
    bodyLimit: 256 * 1024,
    frameworkErrors,
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('services', services)
  services.usageRecorder.start(config.USAGE_FLUSH_SECONDS * 1000)
  app.addHook('preClose', async () => services.markClosing())
  app.addHook('onClose', async () => {
    if (given) await services.usageRecorder.stop()
    else await services.close()
  })

  await app.register(requestLog)
  const metrics = services.metrics
  // By route template (`/v1/products/:id`), so the series stay few whatever the ids.
  if (metrics)
    app.addHook('onResponse', async (request, reply) => {
      metrics.request(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000)
    })
  await app.register(inputAndErrors)
  await app.register(securityHeaders)
  await app.register(sessionsAndLimits, { sessionKeys: services.box, redis: services.redis })
  await app.register(openapi, { tags: [...INTEGRATOR_TAGS, EVENTS_TAG] })
  await app.register(healthRoutes, services.health)
  await app.register(authRoutes, {
    auth: services.auth,
    stores: services.stores,
    sessionTtlHours: config.SESSION_TTL_HOURS,
    loginRateLimit: config.LOGIN_RATE_LIMIT,
    loginRateLimitPerAddress: config.LOGIN_RATE_LIMIT_PER_ADDRESS,
    secureCookies: behindProxy(config.TRUST_PROXY),
  })
  await app.register(adminScope, { services })
  await app.register(integratorScope, { services })
  await app.register(webApp, { webDist: config.WEB_DIST ?? defaultWebDist() })
  return app
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Container
  }
}

export type App = Awaited<ReturnType<typeof buildApp>>
