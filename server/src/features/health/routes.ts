import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthResponse } from '@deskflow/shared'

export const healthRoutes: FastifyPluginAsyncTypebox<{ ping: () => Promise<void>; isClosing: () => boolean }> = async (app, opts) => {
  app.get(
    '/health/live',
    { schema: { tags: ['Health'], operationId: 'getLiveness', summary: 'The process is up', response: { 200: HealthResponse } } },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['Health'],
        operationId: 'getReadiness',
        summary: 'Ready to serve: the database answers',
        response: { 200: HealthResponse, 503: HealthResponse },
      },
    },
    async (_request, reply) => {
      if (opts.isClosing()) return reply.code(503).send({ status: 'unavailable' as const, checks: { server: 'shutting down' } })
      try {
        await opts.ping()
        return { status: 'ok' as const, checks: { database: 'ok' } }
      } catch {
        return reply.code(503).send({ status: 'unavailable' as const, checks: { database: 'unreachable' } })
      }
    },
  )
}
