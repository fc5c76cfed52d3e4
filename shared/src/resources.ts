import { Type, type Static, type TSchema } from 'typebox'
import { CURSOR_DESCRIPTION, Timestamp } from './common'

/** Query of every integrator list: cursor pagination in creation order. */
export const ListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Items per page, 1 to 100.' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: CURSOR_DESCRIPTION })),
  updated_since: Type.Optional(
    Type.String({ format: 'date-time', description: 'Only objects changed at or after this time (for incremental sync).' }),
  ),
})
export type ListQuery = Static<typeof ListQuery>

/** A page of `item`s; named `<item's title>List` in the OpenAPI document. */
export function listOf<T extends TSchema>(item: T) {
  return Type.Object(
    {
      data: Type.Array(item),
      nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; `null` on the last page.' }),
    },
    { title: `${(item as { title?: string }).title ?? 'Item'}List` },
  )
}

export function resourceParams(prefix: string) {
  return Type.Object({ id: Type.String({ pattern: `^${prefix}_[0-9A-Za-z]{1,64}$`, description: `An id starting with \`${prefix}_\`.` }) })
}

const Name = Type.String({ minLength: 1, maxLength: 200 })
const LongText = Type.Union([Type.String({ maxLength: 5000 }), Type.Null()])
/** The most stock a product can hold; putting stock back from a cancelled or deleted order stops here. */
export const STOCK_MAX = 1_000_000_000
const Money = Type.Integer({ minimum: 0, maximum: 100_000_000_000, description: 'In the smallest currency unit (cents).' })

// Categories
export const Category = Type.Object(
  {
    id: Type.String({ examples: ['cat_0Vnd1xQ4aB7cD8eF9gH0'] }),
    name: Type.String({ examples: ['Coffee'] }),
    description: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Category' },
)
export type Category = Static<typeof Category>
export const CreateCategoryBody = Type.Object(
  { name: Name, description: Type.Optional(LongText) },
  { title: 'CreateCategoryBody', additionalProperties: false, examples: [{ name: 'Coffee', description: 'Beans and ground coffee' }] },
)
export type CreateCategoryBody = Static<typeof CreateCategoryBody>
export const UpdateCategoryBody = Type.Object(
  { name: Type.Optional(Name), description: Type.Optional(LongText) },
  {
    title: 'UpdateCategoryBody',
    additionalProperties: false,
    minProperties: 1,
    examples: [{ description: 'Whole beans, roasted weekly' }],
  },
)
export type UpdateCategoryBody = Static<typeof UpdateCategoryBody>

// Products
export const Product = Type.Object(
  {
    id: Type.String({ examples: ['prod_0Vnd1xQ4aB7cD8eF9gH0'] }),
    name: Type.String({ examples: ['Ethiopia Yirgacheffe 250 g'] }),
    description: Type.Union([Type.String(), Type.Null()]),
    sku: Type.Union([Type.String(), Type.Null()], { examples: ['COF-ETH-250'] }),
    price: Money,
    currency: Type.String({ examples: ['USD'] }),
    stock: Type.Union([Type.Integer(), Type.Null()], {
      description: `\`null\`: stock is not tracked. Never more than ${STOCK_MAX}.`,
    }),
    categoryId: Type.Union([Type.String(), Type.Null()]),
    active: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Product' },
)
export type Product = Static<typeof Product>
const Sku = Type.Union([Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }), Type.Null()], {
  description: 'Unique within the store.',
})
const Stock = Type.Union([Type.Integer({ minimum: 0, maximum: STOCK_MAX }), Type.Null()], {
  description: `\`null\`: stock is not tracked. At most ${STOCK_MAX}; cancelling or deleting an order puts its units back up to that maximum.`,
})
const CategoryRef = Type.Union([Type.String({ maxLength: 80 }), Type.Null()])
export const CreateProductBody = Type.Object(
  {
    name: Name,
    description: Type.Optional(LongText),
    sku: Type.Optional(Sku),
    price: Money,
    stock: Type.Optional(Stock),
    categoryId: Type.Optional(CategoryRef),
    active: Type.Optional(Type.Boolean({ default: true })),
  },
  {
    title: 'CreateProductBody',
    additionalProperties: false,
    examples: [{ name: 'Ethiopia Yirgacheffe 250 g', sku: 'COF-ETH-250', price: 1450, stock: 40 }],
  },
)
export type CreateProductBody = Static<typeof CreateProductBody>
export const UpdateProductBody = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(LongText),
    sku: Type.Optional(Sku),
    price: Type.Optional(Money),
    stock: Type.Optional(Stock),
    categoryId: Type.Optional(CategoryRef),
    active: Type.Optional(Type.Boolean()),
  },
  { title: 'UpdateProductBody', additionalProperties: false, minProperties: 1, examples: [{ price: 1550, stock: 35 }] },
)
export type UpdateProductBody = Static<typeof UpdateProductBody>

// Customers
export const Customer = Type.Object(
  {
    id: Type.String({ examples: ['cus_0Vnd1xQ4aB7cD8eF9gH0'] }),
    email: Type.String({ examples: ['ada@example.com'] }),
    firstName: Type.String({ examples: ['Ada'] }),
    lastName: Type.String({ examples: ['Lovelace'] }),
    phone: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Customer' },
)
export type Customer = Static<typeof Customer>
const Email = Type.String({ format: 'email', maxLength: 254, description: 'Unique within the store (case-insensitive).' })
const PersonName = Type.String({ minLength: 1, maxLength: 100 })
const Phone = Type.Union([Type.String({ minLength: 3, maxLength: 32, pattern: '^[0-9+() .-]+$' }), Type.Null()])
export const CreateCustomerBody = Type.Object(
  { email: Email, firstName: PersonName, lastName: PersonName, phone: Type.Optional(Phone) },
  {
    title: 'CreateCustomerBody',
    additionalProperties: false,
    examples: [{ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' }],
  },
)
export type CreateCustomerBody = Static<typeof CreateCustomerBody>
export const UpdateCustomerBody = Type.Object(
  { email: Type.Optional(Email), firstName: Type.Optional(PersonName), lastName: Type.Optional(PersonName), phone: Type.Optional(Phone) },
  { title: 'UpdateCustomerBody', additionalProperties: false, minProperties: 1, examples: [{ phone: '+1 555 0100' }] },
)
export type UpdateCustomerBody = Static<typeof UpdateCustomerBody>

// Orders
export const ORDER_STATUSES = ['pending', 'paid', 'fulfilled', 'cancelled'] as const
export const OrderStatus = Type.Enum(ORDER_STATUSES)
export type OrderStatus = Static<typeof OrderStatus>
export const LineItem = Type.Object(
  {
    productId: Type.String(),
    name: Type.String({ description: "The product's name when ordered." }),
    sku: Type.Union([Type.String(), Type.Null()]),
    quantity: Type.Integer(),
    unitPrice: Money,
    total: Money,
  },
  { title: 'LineItem' },
)
export type LineItem = Static<typeof LineItem>
export const Order = Type.Object(
  {
    id: Type.String({ examples: ['ord_0Vnd1xQ4aB7cD8eF9gH0'] }),
    number: Type.Integer({ description: 'Sequential within the store.', examples: [1001] }),
    customerId: Type.Union([Type.String(), Type.Null()]),
    status: OrderStatus,
    currency: Type.String(),
    lineItems: Type.Array(LineItem),
    subtotal: Money,
    total: Money,
    note: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Order' },
)
export type Order = Static<typeof Order>
export const CreateOrderBody = Type.Object(
  {
    customerId: Type.Optional(Type.Union([Type.String({ maxLength: 80 }), Type.Null()])),
    status: Type.Optional(OrderStatus),
    lineItems: Type.Array(
      Type.Object(
        { productId: Type.String({ maxLength: 80 }), quantity: Type.Integer({ minimum: 1, maximum: 10_000 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  },
  {
    title: 'CreateOrderBody',
    additionalProperties: false,
    description: 'Prices and totals are computed by the server from the products. Tracked stock is reserved atomically.',
    examples: [{ customerId: 'cus_0Vnd1xQ4aB7cD8eF9gH0', lineItems: [{ productId: 'prod_0Vnd1xQ4aB7cD8eF9gH0', quantity: 2 }] }],
  },
)
export type CreateOrderBody = Static<typeof CreateOrderBody>
export const UpdateOrderBody = Type.Object(
  {
    status: Type.Optional(OrderStatus),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    customerId: Type.Optional(Type.Union([Type.String({ maxLength: 80 }), Type.Null()])),
  },
  { title: 'UpdateOrderBody', additionalProperties: false, minProperties: 1, examples: [{ status: 'paid' }] },
)
export type UpdateOrderBody = Static<typeof UpdateOrderBody>

/** `order.created` → `OrderCreatedEvent`: the payload's name in the OpenAPI document. */
export const eventSchemaName = (type: string) => `${type.replace(/(^|\.)([a-z])/g, (_m, _dot, c: string) => c.toUpperCase())}Event`

/** Every event, as stored and as delivered: `{ id, type, timestamp, data }`. */
export const EventEnvelope = <T extends TSchema>(type: string, data: T) =>
  Type.Object(
    {
      id: Type.String({
        description: 'The event’s id: the same in every delivery of this event.',
        examples: ['evt_0mh4x7c2a9k3p8q1w5e6r7t'],
      }),
      type: Type.Literal(type),
      timestamp: Timestamp,
      data,
    },
    { title: eventSchemaName(type) },
  )
