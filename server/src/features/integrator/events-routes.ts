import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { TSchema } from 'typebox'
import { EVENT_TYPES, ErrorResponse, Event, EventList, EventParams, EventQuery, PERMISSIONS, type EventType } from '@deskflow/shared'
import { AppError } from '../../lib/errors'
import { eventPermission, visibleTypes, type EventFeed } from '../events/feed'

export const EVENTS_TAG = {
  name: 'Events',
  description:
    'Integrator API: the store’s events, oldest first, as webhooks deliver them. Each event is listed only to a key that holds the read permission of its resource (`read_orders` for `order.*`). Kept 30 days by default (`EVENTS_RETENTION_DAYS`).',
}

const READS = PERMISSIONS.filter((p) => p.startsWith('read_'))
// The payload union's static type is not worth spelling out: the schemas validate and
// serialize what the feed answers, which is the events' stored data.
const anyEvent: TSchema = Event
const eventList: TSchema = EventList
const errors = { 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 429: ErrorResponse }

/** preValidation: a key that can see no event at all, or not the `type` asked for, is refused before its input is read. */
async function mayReadEvents(request: FastifyRequest) {
  const { permissions } = request.apiKey
  if (visibleTypes(permissions).length === 0) {
    throw new AppError('forbidden', `This API key lacks a permission: requires one of ${READS.join(', ')}`)
  }
  const type = (request.query as { type?: unknown } | undefined)?.type
  if (typeof type === 'string' && (EVENT_TYPES as string[]).includes(type)) {
    const needed = eventPermission(type as EventType)
    if (!permissions.includes(needed)) throw new AppError('forbidden', `This API key lacks a permission: requires ${needed}`)
  }
}

/** `GET /v1/events` and `GET /v1/events/:id`: catching up without webhooks, or after an outage. */
export const eventRoutes: FastifyPluginAsyncTypebox<{ feed: EventFeed }> = async (app, { feed }) => {
  app.get(
    '/v1/events',
    {
      preValidation: mayReadEvents,
      schema: {
        tags: [EVENTS_TAG.name],
        operationId: 'listEvents',
        summary: 'List events',
        description:
          'Oldest first; follow `nextCursor` for more. Sync once with this feed, keep the last `nextCursor`, then subscribe a webhook: every event is here with the payload its webhook deliveries carry. `type` narrows to one event type; `created_since` starts at a time.\n\nRequires a `read_*` permission; lists the events of the resources the key may read.',
        security: READS.map((p) => ({ basicAuth: [p] })),
        querystring: EventQuery,
        response: { 200: eventList, 422: ErrorResponse, ...errors },
      },
    },
    async (request) => feed.list(request.apiKey.storeId, request.apiKey.permissions, request.query),
  )

  app.get(
    '/v1/events/:id',
    {
      preValidation: mayReadEvents,
      schema: {
        tags: [EVENTS_TAG.name],
        operationId: 'getEvent',
        summary: 'Get an event',
        description: 'Requires the read permission of the event’s resource (`read_orders` for `order.created`).',
        security: READS.map((p) => ({ basicAuth: [p] })),
        params: EventParams,
        response: { 200: anyEvent, ...errors },
      },
    },
    async (request) => feed.get(request.apiKey.storeId, request.apiKey.permissions, request.params.id),
  )
}
