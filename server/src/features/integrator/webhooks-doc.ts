import { EVENT_TYPES, RESOURCE_REGISTRY, eventLabel, eventParts, eventPayload } from '@deskflow/shared'

/** The reference's section of the webhook events. */
export const WEBHOOKS_TAG = 'Webhook events'

/** `order.created` → `onOrderCreated`. */
const operationIdOf = (type: string) => `on${type.replace(/(^|\.)([a-z])/g, (_m, _dot, c: string) => c.toUpperCase())}`

/** The OpenAPI 3.1 `webhooks` section: one entry per event, with its payload. */
export function openapiWebhooks() {
  return Object.fromEntries(
    EVENT_TYPES.map((type) => {
      const { resource, action } = eventParts(type)
      const { singular } = RESOURCE_REGISTRY[resource]
      return [
        type,
        {
          post: {
            operationId: operationIdOf(type),
            tags: [WEBHOOKS_TAG],
            // Not called with credentials: each delivery is signed (see the description).
            security: [],
            summary: `${eventLabel(type)} (${type})`,
            description:
              `Sent when ${/^[aeiou]/.test(singular) ? 'an' : 'a'} ${singular} is ${action}. \`data\` is the ${singular}${action === 'deleted' ? ' as it was before deletion' : ''}. ` +
              'Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer with any 2xx.',
            requestBody: { content: { 'application/json': { schema: eventPayload(type) } } },
            responses: { '200': { description: 'Any 2xx acknowledges the delivery.' } },
          },
        },
      ]
    }),
  )
}
