import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CreateWebhookBody,
  CreatedWebhook,
  Delivery,
  DeliveryList,
  DeliveryParams,
  DeliveryQuery,
  ErrorResponse,
  ReplayBody,
  ReplayResult,
  RevealBody,
  StoreParams,
  SendTestBody,
  TestDeliveryResult,
  UpdateWebhookBody,
  Webhook,
  WebhookList,
  WebhookParams,
  WebhookSecret,
} from '@deskflow/shared'
import { actorOf, REVEAL_RATE_LIMIT } from '../../http/auth'
import { NoContent, adminErrors, adminSecurity } from '../../http/responses'
import type { WebhooksService } from './service'

const tags = ['Admin: webhooks']

export const webhookRoutes: FastifyPluginAsyncTypebox<{ webhooks: WebhooksService }> = async (app, { webhooks }) => {
  app.get(
    '/stores/:key/webhooks',
    {
      schema: {
        tags,
        operationId: 'listWebhooks',
        summary: 'List webhooks',
        security: adminSecurity,
        params: StoreParams,
        response: { 200: WebhookList, ...adminErrors },
      },
    },
    async (request) => ({ data: await webhooks.list(request.store.id) }),
  )

  app.post(
    '/stores/:key/webhooks',
    {
      schema: {
        tags,
        operationId: 'createWebhook',
        summary: 'Create a webhook',
        description:
          'Answers with the signing secret (`whsec_…`). The URL must be https (unless the server allows http) and may not point to a private or internal address.',
        security: adminSecurity,
        params: StoreParams,
        body: CreateWebhookBody,
        response: { 201: CreatedWebhook, ...adminErrors },
      },
    },
    async (request, reply) => {
      const store = request.store
      return reply.code(201).send(await webhooks.create(store.id, actorOf(request), request.body))
    },
  )

  app.get(
    '/stores/:key/webhooks/:id',
    {
      schema: {
        tags,
        operationId: 'getWebhook',
        summary: 'Get a webhook',
        security: adminSecurity,
        params: WebhookParams,
        response: { 200: Webhook, ...adminErrors },
      },
    },
    async (request) => webhooks.get(request.store.id, request.params.id),
  )

  app.patch(
    '/stores/:key/webhooks/:id',
    {
      schema: {
        tags,
        operationId: 'updateWebhook',
        summary: 'Change the URL or event, pause, resume or re-enable',
        security: adminSecurity,
        params: WebhookParams,
        body: UpdateWebhookBody,
        response: { 200: Webhook, ...adminErrors },
      },
    },
    async (request) => webhooks.update(request.store.id, request.params.id, actorOf(request), request.body),
  )

  app.delete(
    '/stores/:key/webhooks/:id',
    {
      schema: {
        tags,
        operationId: 'deleteWebhook',
        summary: 'Delete a webhook and its delivery log',
        security: adminSecurity,
        params: WebhookParams,
        response: { 204: NoContent, ...adminErrors },
      },
    },
    async (request, reply) => {
      await webhooks.remove(request.store.id, request.params.id, actorOf(request))
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/stores/:key/webhooks/:id/test',
    {
      schema: {
        tags,
        operationId: 'sendTestWebhook',
        summary: 'Send Dummy: a signed sample of one of its events, now',
        description:
          "Sends a sample of `event` (one of the webhook's events; default: its first). Answers 200 with what the receiver answered, or the error in words; recorded in the delivery log as a test, never retried.",
        security: adminSecurity,
        params: WebhookParams,
        body: SendTestBody,
        response: { 200: TestDeliveryResult, ...adminErrors },
      },
      // The body is optional: no body is an empty one (the webhook's first event).
      preValidation: async (request) => {
        request.body ??= {}
      },
    },
    async (request) => webhooks.sendTest(request.store.id, request.params.id, actorOf(request), request.body?.event),
  )

  app.get(
    '/stores/:key/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        operationId: 'listDeliveries',
        summary: 'Delivery log, newest first, with every attempt',
        security: adminSecurity,
        params: WebhookParams,
        querystring: DeliveryQuery,
        response: { 200: DeliveryList, ...adminErrors },
      },
    },
    async (request) => webhooks.listDeliveries(request.store.id, request.params.id, request.query),
  )

  // One delivery sent again, two ways (the service's `sendAgain`).
  const sendAgain = [
    {
      path: 'retry',
      operationId: 'retryDeliveryNow',
      summary: 'Send a delivery waiting for its next attempt now',
      description:
        'For a delivery still being retried (status `pending`), once its endpoint is fixed: sent at once instead of at its scheduled time, under the same webhook-id. A delivery that succeeded, failed or is held, a Send Dummy test, or one being sent right now is refused with 409.',
      run: webhooks.retryNow,
    },
    {
      path: 'redeliver',
      operationId: 'redeliver',
      summary: 'Send one delivery again (same webhook-id)',
      description: 'A Send Dummy test, or a delivery already queued or being sent, is refused with 409.',
      run: webhooks.redeliver,
    },
  ]
  for (const { path, operationId, summary, description, run } of sendAgain)
    app.post(
      `/stores/:key/webhooks/:id/deliveries/:deliveryId/${path}`,
      {
        schema: {
          tags,
          operationId,
          summary,
          description,
          security: adminSecurity,
          params: DeliveryParams,
          response: { 202: Delivery, 409: ErrorResponse, ...adminErrors },
        },
      },
      async (request, reply) =>
        reply.code(202).send(await run(request.store.id, request.params.id, request.params.deliveryId, actorOf(request))),
    )

  app.post(
    '/stores/:key/webhooks/:id/replay',
    {
      schema: {
        tags,
        operationId: 'replayDeliveries',
        summary: 'Send again every failed or held delivery since a time',
        security: adminSecurity,
        params: WebhookParams,
        body: ReplayBody,
        response: { 202: ReplayResult, ...adminErrors },
      },
    },
    async (request, reply) => {
      const store = request.store
      return reply.code(202).send(await webhooks.replay(store.id, request.params.id, actorOf(request), request.body))
    },
  )

  app.post(
    '/stores/:key/webhooks/:id/reveal-secret',
    {
      schema: {
        tags,
        operationId: 'revealWebhookSecret',
        summary: 'Reveal the signing secret',
        description:
          "Asks for the signed-in admin's password again; written to the audit log. At most 10 reveals a minute from one address (429).",
        security: adminSecurity,
        params: WebhookParams,
        body: RevealBody,
        response: { 200: WebhookSecret, 429: ErrorResponse, ...adminErrors },
      },
      config: { rateLimit: REVEAL_RATE_LIMIT },
    },
    async (request) => webhooks.revealSecret(request.store.id, request.params.id, actorOf(request), request.body.password),
  )

  app.post(
    '/stores/:key/webhooks/:id/rotate-secret',
    {
      schema: {
        tags,
        operationId: 'rotateWebhookSecret',
        summary: 'Rotate the signing secret',
        description: 'For 24 hours deliveries carry signatures from both the new and the old secret.',
        security: adminSecurity,
        params: WebhookParams,
        response: { 200: WebhookSecret, ...adminErrors },
      },
    },
    async (request) => webhooks.rotateSecret(request.store.id, request.params.id, actorOf(request)),
  )
}
