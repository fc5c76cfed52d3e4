import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AuditList, AuditQuery, StoreParams } from '@deskflow/shared'
import { adminErrors, adminSecurity } from '../../http/responses'
import type { AuditService } from './service'

export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditService }> = async (app, { audit }) => {
  app.get(
    '/stores/:key/audit-log',
    {
      schema: {
        tags: ['Admin: audit log'],
        operationId: 'listAuditLog',
        summary: 'Audit log, newest first',
        description:
          'Every key and webhook action, every secret reveal and every change to the team in this store, with who did it, from which address and what changed. Filter by action, by kind of target or by one target (its history); page with `before`.',
        security: adminSecurity,
        params: StoreParams,
        querystring: AuditQuery,
        response: { 200: AuditList, ...adminErrors },
      },
    },
    async (request) => {
      const { limit = 50, before, action, targetType, targetId } = request.query
      return audit.list(request.store.id, limit, { action, targetType, targetId }, before)
    },
  )
}
