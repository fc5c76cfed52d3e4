import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import fastifyCookie from '@fastify/cookie'
import fastifyJwt from '@fastify/jwt'
import helmet from 'helmet'
import fastifyRateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { Logger } from 'pino'
import { sql } from 'drizzle-orm'
import type { Config } from './config'
import type { Database } from './db'
import { randomBase62 } from './lib/ids'
import { redisWithMemoryFallback } from './lib/rate-limit-store'
import type { SecretBox } from './lib/secret-box'
import { clientErrorHandler, frameworkErrors, registerErrorHandler, sendError } from './http/error-handler'
import { registerJsonBodyParser } from './http/json-body'
import { trackAllowedMethods } from './http/method-not-allowed'
import { createValidatorCompiler, findNul } from './http/validation'
import { AppError } from './lib/errors'
import { createCursors } from './lib/cursor'
import { SESSION_COOKIE, requireAdmin } from './http/auth'
import { refuseCrossSite } from './http/csrf'
import { declareFrameworkErrors } from './http/responses'
import { createAdminsRepo } from './features/auth/repo'
import { createAuthService } from './features/auth/service'
import { authRoutes } from './features/auth/routes'
import { createStoresRepo } from './features/stores/repo'
import { createStoresService } from './features/stores/service'
import { createAuditRepo } from './features/audit/repo'
import { createAuditService } from './features/audit/service'
import { auditRoutes } from './features/audit/routes'
import { createApiKeysRepo } from './features/api-keys/repo'
import { createApiKeysService } from './features/api-keys/service'
import { createApiKeyVerifier } from './features/api-keys/verify'
import { apiKeyRoutes } from './features/api-keys/routes'
import { healthRoutes } from './features/health/routes'
import { createCatalogServices } from './features/catalog/service'
import { createOrdersService } from './features/orders/service'
import { authenticateApiKey, countUsage } from './features/integrator/auth'
import { registerIntegratorRoutes } from './features/integrator/routes'
import { createUsageRecorder } from './features/usage/recorder'
import { createUsageService } from './features/usage/service'
import { usageRoutes } from './features/usage/routes'
import { openapiWebhooks } from './features/integrator/webhooks-doc'
import { Redis } from 'ioredis'
import { createSender } from './features/webhooks/sender'
import { createWebhooksService } from './features/webhooks/service'
import { webhookRoutes } from './features/webhooks/routes'
import { webhookSettingsFrom } from './features/webhooks/retry'
import { behindProxy, fastifyTrustProxy } from './lib/trust-proxy'

export interface AppOptions {
  config: Config
  database: Database
  box: SecretBox
  logger: Logger
}

const API_PREFIXES = ['/auth', '/stores', '/v1', '/health', '/openapi.json', '/docs']

function defaultWebDist(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist')
}

/** Builds the whole service as a Fastify instance that never listens: main.ts and tests share it. */
export async function buildApp({ config, database, box, logger }: AppOptions) {
  const newRequestId = () => `req_${randomBase62(16)}`
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: newRequestId,
    clientErrorHandler: clientErrorHandler(newRequestId),
    // One line per request (onResponse below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: fastifyTrustProxy(config.TRUST_PROXY),
    bodyLimit: 256 * 1024,
    frameworkErrors,
  }).withTypeProvider<TypeBoxTypeProvider>()

  const { db } = database
  const adminsRepo = createAdminsRepo(db)
  const auth = createAuthService({ repo: adminsRepo })
  const stores = createStoresService({ repo: createStoresRepo(db) })
  const cursors = createCursors(box.cursorKey)
  const audit = createAuditService({ repo: createAuditRepo(db), cursors })
  const apiKeysRepo = createApiKeysRepo(db)
  const apiKeys = createApiKeysService({ db, repo: apiKeysRepo, box, audit, auth })
  const verifyApiKey = createApiKeyVerifier({ repo: apiKeysRepo, box })
  const catalog = createCatalogServices(db, cursors)
  const orders = createOrdersService(db, cursors)
  const usage = createUsageService(db)
  const sender = createSender({ allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_URLS, timeoutMs: config.WEBHOOK_TIMEOUT_MS })
  const webhooks = createWebhooksService({
    db,
    pool: database.pool,
    box,
    sender,
    audit,
    auth,
    settings: webhookSettingsFrom(config),
    onRecordError: (err) => app.log.warn({ err }, 'a Send Dummy result could not be written to the delivery log'),
    cursors,
  })
  const usageRecorder = createUsageRecorder(db, { onError: (err) => app.log.warn({ err }, 'usage flush failed; will retry') })
  usageRecorder.start(config.USAGE_FLUSH_SECONDS * 1000)
  // Several instances share rate-limit counters through Redis; one instance counts in memory.
  // Commands fail at once while Redis is away (no offline queue, a short timeout), and
  // the store then counts in memory: a request never waits on Redis for long.
  const redis = config.REDIS_URL
    ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 500, enableOfflineQueue: false })
    : undefined
  // Reported by the rate-limit store when a command fails; the connection's own events add nothing.
  redis?.on('error', () => {})
  let closing = false

  app.decorate('verifyApiKey', verifyApiKey)
  app.decorate('usageRecorder', usageRecorder)
  app.decorate('webhooks', webhooks)
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, url: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    )
  })
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onClose', async () => {
    await usageRecorder.stop()
    redis?.disconnect()
    sender.close()
  })
  app.setValidatorCompiler(createValidatorCompiler())
  const allowedMethods = trackAllowedMethods(app)
  // JSON only: a cross-site HTML form (text/plain, urlencoded) cannot reach a handler.
  app.removeContentTypeParser('text/plain')
  registerJsonBodyParser(app)
  // After validation (and the permission check), before any handler: text with a NUL
  // character is valid JSON but cannot be stored. Only what the route reads is looked
  // at: a query parameter or body it does not declare is ignored, NUL or not.
  app.addHook('preHandler', async (request) => {
    const field = findNul(request.body, request.routeOptions.schema?.body) ?? findNul(request.query, request.routeOptions.schema?.querystring)
    if (field) throw AppError.invalidField(field, 'must not contain the NUL character (\\u0000)')
  })
  registerErrorHandler(app)
  declareFrameworkErrors(app)

  // Security headers. helmet's middleware is built once here; the Fastify plugin for it
  // rebuilds it (parsing the CSP again) on every request.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
  })
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)))
  await app.register(fastifyCookie)
  await app.register(fastifyJwt, {
    secret: box.sessionKey,
    cookie: { cookieName: SESSION_COOKIE, signed: false },
    sign: { algorithm: 'HS256' },
    verify: { algorithms: ['HS256'] },
  })
  await app.register(fastifyRateLimit, {
    global: false,
    enableDraftSpec: true,
    ...(redis && { store: redisWithMemoryFallback(redis, app.log) as unknown as FastifyRateLimitStoreCtor }),
    errorResponseBuilder: (_req, context) => ({
      statusCode: 429,
      message: `Too many attempts; try again in ${Math.ceil(context.ttl / 1000)} seconds`,
    }),
  })

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Deskflow API Keys & Integrations',
        version: '1.0.0',
        description: [
          '**Integrator API** (`/v1/…`): authenticate with HTTP Basic, the API key as the user name and the API secret as the password ' +
            '(`curl -u dfk_…:dfs_… https://<your server>/v1/products`). Each operation lists the permission it requires. ' +
            'Lists are paginated: pass `nextCursor` back as `cursor`. Every key has a rate limit (default 600 requests a minute); ' +
            'answers carry `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`, and a 429 carries `Retry-After`.',
          '**Admin API**: session cookie or Bearer JWT from `POST /auth/login`. With the cookie, a request that changes something ' +
            '(any method but GET, HEAD, OPTIONS) must also send the header `Deskflow-CSRF: 1`, unless the browser marks it ' +
            '`Sec-Fetch-Site: same-origin`. One a browser marks `Sec-Fetch-Site: same-site` or `cross-site` (sent by a page of another origin) is ' +
            'refused whatever it carries, sign-in included (403 `forbidden`).',
          '**Errors** always have the shape `{ "error": { "code", "message", "requestId", "details"? } }`; `details` names each offending field. ' +
            '400: malformed JSON; 401: no valid credentials (one message for every reason); 403: valid but not allowed; 404: not found or not yours; ' +
            '409: conflict (duplicate, out of stock); 413: body over 256 KB; 415: body not JSON; 422: invalid input; 429: rate limited; ' +
            '503: the database is unavailable for a moment (retry after `Retry-After`). Each operation lists the statuses it can answer.',
          '**Webhooks**: the events an integration can subscribe to, and their payloads, are listed under Webhooks.',
        ].join('\n\n'),
      },
      tags: [
        { name: 'Customers', description: 'Integrator API: `read_customers`, `write_customers`.' },
        { name: 'Products', description: 'Integrator API: `read_products`, `write_products`.' },
        { name: 'Categories', description: 'Integrator API: `read_categories`, `write_categories`.' },
        { name: 'Orders', description: 'Integrator API: `read_orders`, `write_orders`. Totals are computed by the server.' },
      ],
      components: {
        securitySchemes: {
          cookieAuth: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          basicAuth: {
            type: 'http',
            scheme: 'basic',
            description: 'Integrator API: the API key as the user name, the API secret as the password (`curl -u dfk_…:dfs_…`). The scopes listed on each operation are the permissions it requires.',
          },
        },
      },
      webhooks: openapiWebhooks(),
    },
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  await app.register(healthRoutes, {
    ping: async () => {
      await db.execute(sql`select 1`)
    },
    isClosing: () => closing,
  })
  await app.register(authRoutes, {
    auth,
    stores,
    sessionTtlHours: config.SESSION_TTL_HOURS,
    loginRateLimit: config.LOGIN_RATE_LIMIT,
    loginRateLimitPerAddress: config.LOGIN_RATE_LIMIT_PER_ADDRESS,
    secureCookies: behindProxy(config.TRUST_PROXY),
  })
  await app.register(async (admin) => {
    admin.addHook('onRequest', refuseCrossSite)
    // Before the body is read or validated: a stranger learns nothing about what a route accepts.
    admin.addHook('onRequest', requireAdmin(auth.adminOfSession))
    await admin.register(apiKeyRoutes, { apiKeys, stores })
    await admin.register(auditRoutes, { audit, stores })
    await admin.register(usageRoutes, { usage, stores })
    await admin.register(webhookRoutes, { webhooks, stores })
  })
  await app.register(async (v1) => {
    v1.addHook(
      'onRequest',
      authenticateApiKey(verifyApiKey, {
        perAddress: app.createRateLimit({ max: config.API_AUTH_FAILURE_LIMIT_PER_ADDRESS, timeWindow: 60_000, keyGenerator: (req) => `api-auth-failures|address|${req.ip}` }),
        perKey: app.createRateLimit({ max: config.API_AUTH_FAILURE_LIMIT_PER_KEY, timeWindow: 60_000, keyGenerator: (req) => `api-auth-failures|key|${req.usageKey?.apiKeyId}` }),
      }),
    )
    v1.addHook(
      'onRequest',
      v1.rateLimit({
        max: (request) => request.apiKey.rateLimitPerMinute,
        timeWindow: 60_000,
        keyGenerator: (request) => `key|${request.apiKey.apiKeyId}`,
      }),
    )
    v1.addHook('onResponse', countUsage(usageRecorder))
    registerIntegratorRoutes(v1, { ...catalog, orders })
  })

  const webDist = config.WEB_DIST ?? defaultWebDist()
  const hasWeb = existsSync(path.join(webDist, 'index.html'))
  if (hasWeb) {
    // The built files are registered at start (the image never changes them); after a
    // local rebuild of web/, restart the server, or use the Vite dev server (`pnpm dev`).
    // The build writes `.br` and `.gz` beside each compressible file: a client that accepts
    // one of those encodings gets that file (with Content-Encoding and Vary: accept-encoding),
    // any other client the original. They are not routes of their own.
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: false,
      preCompressed: true,
      globIgnore: ['**/*.br', '**/*.gz'],
    })
  }
  app.setNotFoundHandler((request, reply) => {
    const isApi = API_PREFIXES.some((p) => request.url === p || request.url.startsWith(`${p}/`) || request.url.startsWith(`${p}?`))
    const isFile = /\.[A-Za-z0-9]+$/.test(request.url.split('?')[0]!)
    if (hasWeb && request.method === 'GET' && !isApi && !isFile) {
      // Client-side routes (/login, /store/demo/settings/api, …) all load the SPA.
      return reply.type('text/html').sendFile('index.html', { maxAge: 0 })
    }
    const allowed = allowedMethods(request.url)
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '))
      return sendError(reply, 'method_not_allowed', `${request.method} is not supported here; use ${allowed.join(', ')}`)
    }
    return sendError(reply, 'not_found', `Route ${request.method} ${request.url.split('?')[0]} not found`)
  })

  return app
}

declare module 'fastify' {
  interface FastifyInstance {
    verifyApiKey: ReturnType<typeof createApiKeyVerifier>
    usageRecorder: ReturnType<typeof createUsageRecorder>
    webhooks: ReturnType<typeof createWebhooksService>
  }
}

export type App = Awaited<ReturnType<typeof buildApp>>
export type { FastifyInstance }
