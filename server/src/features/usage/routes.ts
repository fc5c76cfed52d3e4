import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { StoreParams, UsageQuery, UsageReport } from '@deskflow/shared'
import { adminErrors, adminSecurity } from '../../http/responses'
import type { UsageService } from './service'

export const usageRoutes: FastifyPluginAsyncTypebox<{ usage: UsageService }> = async (app, { usage }) => {
  app.get(
    '/stores/:key/usage',
    {
      schema: {
        tags: ['Admin: usage'],
        operationId: 'getUsage',
        summary: 'Integrator requests per hour by outcome',
        description: 'Counts are written in batches every few seconds, so the last seconds may not show yet.',
        security: adminSecurity,
        params: StoreParams,
        querystring: UsageQuery,
        response: { 200: UsageReport, ...adminErrors },
      },
    },
    async (request) => {
      const store = request.store
      return usage.report(store.id, request.query.period ?? '24h', request.query.apiKeyId)
    },
  )
}
