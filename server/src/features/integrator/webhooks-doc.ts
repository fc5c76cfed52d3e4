import type { TSchema } from 'typebox'
import { Category, Customer, EVENT_TYPES, EventEnvelope, Order, Product, eventLabel } from '@deskflow/shared'

const DATA: Record<string, TSchema> = { customer: Customer, product: Product, category: Category, order: Order }

/** The OpenAPI 3.1 `webhooks` section: one entry per event, with its payload. */
export function openapiWebhooks() {
  return Object.fromEntries(
    EVENT_TYPES.map((type) => {
      const [resource, action] = type.split('.') as [string, string]
      return [
        type,
        {
          post: {
            summary: `${eventLabel(type)} (${type})`,
            description:
              `Sent when ${/^[aeiou]/.test(resource) ? 'an' : 'a'} ${resource} is ${action}. \`data\` is the ${resource}${action === 'deleted' ? ' as it was before deletion' : ''}. ` +
              'Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer with any 2xx.',
            requestBody: { content: { 'application/json': { schema: EventEnvelope(type, DATA[resource]!) } } },
            responses: { '200': { description: 'Any 2xx acknowledges the delivery.' } },
          },
        },
      ]
    }),
  )
}
