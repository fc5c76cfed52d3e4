import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AddMemberBody,
  AddedMember,
  ErrorResponse,
  Member,
  MemberList,
  MemberParams,
  StoreParams,
  UpdateMemberBody,
} from '@deskflow/shared'
import { actorOf } from '../../http/auth'
import { NoContent, adminErrors, adminSecurity } from '../../http/responses'
import type { StoresService } from './service'

const tags = ['Admin: team']
// The admin scope refuses anyone else before the body is read.
const ownersOnly = { minimumRole: 'owner' } as const
const LAST_OWNER = 'The store’s only owner keeps that role: demoting or removing them is refused with 409.'

export const teamRoutes: FastifyPluginAsyncTypebox<{ stores: StoresService }> = async (app, { stores }) => {
  app.get(
    '/stores/:key/members',
    {
      schema: {
        tags,
        operationId: 'listMembers',
        summary: 'List the members of the store',
        description: 'Every admin with a role in this store, the earliest first. Every member may read it.',
        security: adminSecurity,
        params: StoreParams,
        response: { 200: MemberList, ...adminErrors },
      },
    },
    async (request) => stores.listMembers(request.store.id),
  )

  app.post(
    '/stores/:key/members',
    {
      schema: {
        tags,
        operationId: 'addMember',
        summary: 'Add a member',
        description:
          'Owners only. Adds the admin with this email; when there is none, creates them with a generated password that this answer alone carries (`password`). An admin who already is a member: 409.',
        security: adminSecurity,
        params: StoreParams,
        body: AddMemberBody,
        response: { 201: AddedMember, 409: ErrorResponse, ...adminErrors },
      },
      config: ownersOnly,
    },
    async (request, reply) => reply.code(201).send(await stores.addMember(request.store.id, actorOf(request), request.body)),
  )

  app.patch(
    '/stores/:key/members/:adminId',
    {
      schema: {
        tags,
        operationId: 'updateMember',
        summary: "Change a member's role",
        description: `Owners only. Takes effect on the member's very next request. ${LAST_OWNER}`,
        security: adminSecurity,
        params: MemberParams,
        body: UpdateMemberBody,
        response: { 200: Member, 409: ErrorResponse, ...adminErrors },
      },
      config: ownersOnly,
    },
    async (request) =>
      stores.changeRole({ storeId: request.store.id, actor: actorOf(request), adminId: request.params.adminId }, request.body.role),
  )

  app.delete(
    '/stores/:key/members/:adminId',
    {
      schema: {
        tags,
        operationId: 'removeMember',
        summary: 'Remove a member',
        description: `Owners only. The admin keeps their account and their other stores; this one refuses them from their very next request. ${LAST_OWNER}`,
        security: adminSecurity,
        params: MemberParams,
        response: { 204: NoContent, 409: ErrorResponse, ...adminErrors },
      },
      config: ownersOnly,
    },
    async (request, reply) => {
      await stores.removeMember({ storeId: request.store.id, actor: actorOf(request), adminId: request.params.adminId })
      return reply.code(204).send(null)
    },
  )
}
