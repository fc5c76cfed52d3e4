import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AuditList, AuditQuery, StoreParams } from '@deskflow/shared'
import { adminErrors, adminSecurity } from '../../http/responses'
import type { StoresService } from '../stores/service'
import type { AuditService } from './service'

export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditService; stores: Pick<StoresService, 'requireMember'> }> = async (
  app,
  { audit, stores },
) => {
  app.get(
    '/stores/:key/audit-log',
    {
      schema: {
        tags: ['Admin: audit log'], operationId: 'listAuditLog', summary: 'Audit log, newest first',
        security: adminSecurity, params: StoreParams, querystring: AuditQuery, response: { 200: AuditList, ...adminErrors },
      },
    },
    async (request) => {
      const store = await stores.requireMember(request.admin.id, request.params.key)
      return audit.list(store.id, request.query.limit ?? 50, request.query.before)
    },
  )
}
