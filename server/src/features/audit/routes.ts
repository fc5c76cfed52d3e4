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
        security: adminSecurity,
        params: StoreParams,
        querystring: AuditQuery,
        response: { 200: AuditList, ...adminErrors },
      },
    },
    async (request) => {
      const store = request.store
      return audit.list(store.id, request.query.limit ?? 50, request.query.before)
    },
  )
}
