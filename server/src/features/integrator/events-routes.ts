import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { TSchema } from 'typebox'
import { EVENT_TYPES, ErrorResponse, Event, EventList, EventParams, EventQuery, PERMISSIONS, type EventType } from '@deskflow/shared'
import { AppError } from '../../lib/errors'
import { nulError } from '../../http/validation'
import type { CheckedAnswer } from '../api-keys/checked-read'
import { eventPermission, visibleTypes, type EventAccess, type EventFeed } from '../events/feed'
import type { KeyAdmission, ReadNeed } from './auth'

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

/** A key that can see no event at all, or not the `type` asked for, is refused before its input is judged. */
function mayReadEvents(request: FastifyRequest) {
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

const readsEvents: ReadNeed = { holds: (permissions) => visibleTypes(permissions).length > 0, judge: mayReadEvents }

/**
 * `GET /v1/events` and `GET /v1/events/:id`: catching up without webhooks, or after an
 * outage. Both check their key in the same statement as the events (config `checksKey`),
 * and judge it, then their input, in the order of every route.
 */
export const eventRoutes: FastifyPluginAsyncTypebox<{ feed: EventFeed; admission: KeyAdmission }> = async (app, { feed, admission }) => {
  async function answerChecked<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    read: (access: EventAccess, valid: boolean) => Promise<CheckedAnswer<T>>,
  ): Promise<T> {
    const invalid = request.validationError ?? nulError(request)
    const checked = await read({ presented: request.presentedKey, readRows: admission.expectsRows(request, readsEvents) }, !invalid)
    await admission.admit(request, reply, checked.verification, readsEvents)
    if (invalid) throw invalid
    return checked.answer()
  }

  app.get(
    '/v1/events',
    {
      config: { checksKey: true },
      attachValidation: true,
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
    async (request, reply) => answerChecked(request, reply, (access, valid) => feed.listChecked(access, valid ? request.query : null)),
  )

  app.get(
    '/v1/events/:id',
    {
      config: { checksKey: true },
      attachValidation: true,
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
    async (request, reply) => answerChecked(request, reply, (access, valid) => feed.getChecked(access, valid ? request.params.id : '')),
  )
}
