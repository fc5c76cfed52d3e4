import type { TSchema } from 'typebox'
import { EVENT_TYPES, EventEnvelope, RESOURCE_REGISTRY, eventLabel, eventParts } from '@deskflow/shared'

/** The OpenAPI 3.1 `webhooks` section: one entry per event, with its payload. */
export function openapiWebhooks() {
  return Object.fromEntries(
    EVENT_TYPES.map((type) => {
      const { resource, action } = eventParts(type)
      const { singular, schemas } = RESOURCE_REGISTRY[resource]
      // The document takes any JSON schema; each resource's own type adds nothing here.
      const data: TSchema = schemas.item
      return [
        type,
        {
          post: {
            summary: `${eventLabel(type)} (${type})`,
            description:
              `Sent when ${/^[aeiou]/.test(singular) ? 'an' : 'a'} ${singular} is ${action}. \`data\` is the ${singular}${action === 'deleted' ? ' as it was before deletion' : ''}. ` +
              'Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer with any 2xx.',
            requestBody: { content: { 'application/json': { schema: EventEnvelope(type, data) } } },
            responses: { '200': { description: 'Any 2xx acknowledges the delivery.' } },
          },
        },
      ]
    }),
  )
}
