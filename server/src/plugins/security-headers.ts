import fp from 'fastify-plugin'
import helmet from 'helmet'

/**
 * CSP, frame, sniffing and transport headers on every answer, refusals included.
 * helmet's middleware is built once here; the Fastify plugin for it rebuilds it
 * (parsing the CSP again) on every request.
 */
export const securityHeaders = fp(
  async (app) => {
    const headers = helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          // The API reference (Redoc) runs its search in a worker made from a blob: URL.
          workerSrc: ["'self'", 'blob:'],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
    })
    app.addHook('onRequest', (request, reply, done) => headers(request.raw, reply.raw, (err) => done(err as Error | undefined)))
  },
  { name: 'security-headers' },
)
