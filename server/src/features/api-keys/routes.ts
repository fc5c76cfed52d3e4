import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  ApiKey,
  ApiKeyList,
  ApiKeyParams,
  ApiKeyQuery,
  CreateApiKeyBody,
  CreatedApiKey,
  ErrorResponse,
  RegenerateSecretBody,
  RegeneratedSecret,
  RevealBody,
  RevealedSecret,
  StoreParams,
  UpdateApiKeyBody,
} from '@deskflow/shared'
import { actorOf, REVEAL_RATE_LIMIT } from '../../http/auth'
import { NoContent, adminErrors, adminSecurity } from '../../http/responses'
import type { ApiKeysService } from './service'

export interface ApiKeyRoutesOptions {
  apiKeys: ApiKeysService
}

const tags = ['Admin: API keys']

export const apiKeyRoutes: FastifyPluginAsyncTypebox<ApiKeyRoutesOptions> = async (app, { apiKeys }) => {
  // "Trimmed, at most 255 characters": the limit applies to the trimmed text.
  app.addHook('preValidation', async (request) => {
    const body = request.body as { description?: unknown } | undefined
    if (body && typeof body === 'object' && typeof body.description === 'string') body.description = body.description.trim()
  })

  app.get(
    '/stores/:key/api-keys',
    {
      schema: {
        tags,
        operationId: 'listApiKeys',
        summary: 'List API keys',
        description:
          'Newest first, 50 a page; follow `nextCursor` for more. `search` finds keys by description or key prefix. Secrets are never listed; `secretLast4` tells keys apart.',
        security: adminSecurity,
        params: StoreParams,
        querystring: ApiKeyQuery,
        response: { 200: ApiKeyList, ...adminErrors },
      },
    },
    async (request) => apiKeys.list(request.store.id, request.query),
  )

  app.post(
    '/stores/:key/api-keys',
    {
      schema: {
        tags,
        operationId: 'createApiKey',
        summary: 'Create an API key',
        description: 'The server generates the key and the secret. The answer is the only one that contains the secret without a password.',
        security: adminSecurity,
        params: StoreParams,
        body: CreateApiKeyBody,
        response: { 201: CreatedApiKey, ...adminErrors },
      },
    },
    async (request, reply) => {
      const store = request.store
      return reply.code(201).send(await apiKeys.create(store.id, actorOf(request), request.body))
    },
  )

  app.get(
    '/stores/:key/api-keys/:id',
    {
      schema: {
        tags,
        operationId: 'getApiKey',
        summary: 'Get an API key',
        security: adminSecurity,
        params: ApiKeyParams,
        response: { 200: ApiKey, ...adminErrors },
      },
    },
    async (request) => {
      const store = request.store
      return apiKeys.get(store.id, request.params.id)
    },
  )

  app.patch(
    '/stores/:key/api-keys/:id',
    {
      schema: {
        tags,
        operationId: 'updateApiKey',
        summary: 'Update description, permissions or activation',
        description: 'Deactivating takes effect on the very next integrator request.',
        security: adminSecurity,
        params: ApiKeyParams,
        body: UpdateApiKeyBody,
        response: { 200: ApiKey, ...adminErrors },
      },
    },
    async (request) => {
      const store = request.store
      return apiKeys.update(store.id, request.params.id, actorOf(request), request.body)
    },
  )

  app.delete(
    '/stores/:key/api-keys/:id',
    {
      schema: {
        tags,
        operationId: 'deleteApiKey',
        summary: 'Delete an API key',
        description: 'Access is revoked on the very next request.',
        security: adminSecurity,
        params: ApiKeyParams,
        response: { 204: NoContent, ...adminErrors },
      },
    },
    async (request, reply) => {
      const store = request.store
      await apiKeys.remove(store.id, request.params.id, actorOf(request))
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/stores/:key/api-keys/:id/reveal',
    {
      schema: {
        tags,
        operationId: 'revealApiSecret',
        summary: 'Reveal the secret',
        description:
          "Asks for the signed-in admin's password again; every reveal is written to the audit log. At most 10 reveals a minute from one address (429).",
        security: adminSecurity,
        params: ApiKeyParams,
        body: RevealBody,
        response: { 200: RevealedSecret, 429: ErrorResponse, ...adminErrors },
      },
      config: { rateLimit: REVEAL_RATE_LIMIT },
    },
    async (request) => {
      const store = request.store
      return apiKeys.reveal(store.id, request.params.id, actorOf(request), request.body.password)
    },
  )

  app.post(
    '/stores/:key/api-keys/:id/regenerate-secret',
    {
      schema: {
        tags,
        operationId: 'regenerateApiSecret',
        summary: 'Regenerate the secret',
        description: 'The new secret is returned once. The old one stops working at once (`none`) or after the chosen grace period.',
        security: adminSecurity,
        params: ApiKeyParams,
        body: RegenerateSecretBody,
        response: { 200: RegeneratedSecret, ...adminErrors },
      },
    },
    async (request) => {
      const store = request.store
      return apiKeys.regenerateSecret(store.id, request.params.id, actorOf(request), request.body.gracePeriod ?? 'none')
    },
  )
}
