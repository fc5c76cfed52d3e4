import type { Static, TSchema } from 'typebox'
import {
  Category,
  CreateCategoryBody,
  CreateCustomerBody,
  CreateOrderBody,
  CreateProductBody,
  Customer,
  Order,
  Product,
  UpdateCategoryBody,
  UpdateCustomerBody,
  UpdateOrderBody,
  UpdateProductBody,
} from './resources'

/** What happens to an object: the second half of an event type (`order.created`). */
export const EVENT_ACTIONS = ['created', 'updated', 'deleted'] as const
export type EventAction = (typeof EVENT_ACTIONS)[number]

/** One resource of the integrator API, as its registry entry describes it. */
export interface ResourceDefinition<Item extends TSchema = TSchema, Create extends TSchema = TSchema, Update extends TSchema = TSchema> {
  /** Lower case: event types (`customer.created`), the reference's summaries, "Customer not found". */
  singular: string
  /** Ids start with it: `cus_…`. */
  prefix: string
  /** The plural as the web app and the reference show it. */
  label: string
  schemas: { item: Item; create: Create; update: Update }
  /** Whether writes can collide with existing data (unique fields, stock): the reference documents 409. */
  conflicts: boolean
  /** Where its section comes in the API reference, and what the section says after the permissions. */
  docs: { position: number; note?: string }
  /** "Send Dummy" data: the shape a real delivery of this action carries, stamped with `at`. */
  sample(action: EventAction, at: string): Static<Item>
}

/**
 * The integrator API's resources, keyed by name: the URL segment (`/v1/customers`) and
 * the permissions' second half (`read_customers`). Their order here is the order of
 * permissions, event types and the web app's lists. Permissions, event types, the
 * reference's sections, its webhook payloads, Send Dummy data and the integrator
 * routes are all derived from these entries.
 */
const DEFINITIONS = {
  customers: {
    singular: 'customer',
    prefix: 'cus',
    label: 'Customers',
    schemas: { item: Customer, create: CreateCustomerBody, update: UpdateCustomerBody },
    conflicts: true,
    docs: { position: 1 },
    sample: (_action, at) => ({
      id: 'cus_sample000000000000000',
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: null,
      createdAt: at,
      updatedAt: at,
    }),
  },
  orders: {
    singular: 'order',
    prefix: 'ord',
    label: 'Orders',
    schemas: { item: Order, create: CreateOrderBody, update: UpdateOrderBody },
    conflicts: true,
    docs: { position: 4, note: 'Totals are computed by the server.' },
    sample: (action, at) => ({
      id: 'ord_sample000000000000000',
      number: 1042,
      customerId: 'cus_sample000000000000000',
      status: action === 'created' ? ('pending' as const) : ('paid' as const),
      currency: 'USD',
      lineItems: [
        {
          productId: 'prod_sample00000000000001',
          name: 'Ethiopia Yirgacheffe 250 g',
          sku: 'COF-ETH-250',
          quantity: 2,
          unitPrice: 1450,
          total: 2900,
        },
        { productId: 'prod_sample00000000000002', name: 'Pour-over dripper', sku: 'GEAR-DRIP', quantity: 1, unitPrice: 2400, total: 2400 },
      ],
      subtotal: 5300,
      total: 5300,
      note: 'Sample order sent with Send Dummy',
      createdAt: at,
      updatedAt: at,
    }),
  },
  products: {
    singular: 'product',
    prefix: 'prod',
    label: 'Products',
    schemas: { item: Product, create: CreateProductBody, update: UpdateProductBody },
    conflicts: true,
    docs: { position: 2 },
    sample: (_action, at) => ({
      id: 'prod_sample00000000000001',
      name: 'Ethiopia Yirgacheffe 250 g',
      description: 'Floral, citrus, black tea.',
      sku: 'COF-ETH-250',
      price: 1450,
      currency: 'USD',
      stock: 38,
      categoryId: 'cat_sample000000000000000',
      active: true,
      createdAt: at,
      updatedAt: at,
    }),
  },
  categories: {
    singular: 'category',
    prefix: 'cat',
    label: 'Categories',
    schemas: { item: Category, create: CreateCategoryBody, update: UpdateCategoryBody },
    conflicts: false,
    docs: { position: 3 },
    sample: (_action, at) => ({
      id: 'cat_sample000000000000000',
      name: 'Coffee',
      description: 'Whole beans and ground coffee',
      createdAt: at,
      updatedAt: at,
    }),
  },
} as const satisfies Record<string, ResourceDefinition>

type Definitions = typeof DEFINITIONS
export type ResourceName = keyof Definitions
export type ResourceSingular = Definitions[ResourceName]['singular']
export type ResourcePrefix = Definitions[ResourceName]['prefix']

/**
 * One registry entry, typed by its resource's name: code written once for every
 * resource (the integrator routes) still sees each resource's own schemas.
 */
export interface ResourceEntry<N extends ResourceName> {
  singular: Definitions[N]['singular']
  prefix: Definitions[N]['prefix']
  label: string
  schemas: {
    item: Definitions[N]['schemas']['item']
    create: Definitions[N]['schemas']['create']
    update: Definitions[N]['schemas']['update']
  }
  conflicts: boolean
  docs: { position: number; note?: string }
  sample(action: EventAction, at: string): Static<Definitions[N]['schemas']['item']>
}

/** Typed per resource: a sample that is not its resource's item fails to compile here. */
export const RESOURCE_REGISTRY: { readonly [N in ResourceName]: ResourceEntry<N> } = DEFINITIONS

/** What the API answers for one object of the resource, and the bodies it accepts. */
export type ResourceItem<N extends ResourceName> = Static<ResourceEntry<N>['schemas']['item']>
export type ResourceCreateBody<N extends ResourceName> = Static<ResourceEntry<N>['schemas']['create']>
export type ResourceUpdateBody<N extends ResourceName> = Static<ResourceEntry<N>['schemas']['update']>

// The registry is a literal with exactly these keys, which Object.keys cannot tell the compiler.
export const RESOURCES = Object.keys(RESOURCE_REGISTRY) as ResourceName[]

/** The order of the API reference's sections (tags and paths). */
export const REFERENCE_ORDER = [...RESOURCES].sort((a, b) => RESOURCE_REGISTRY[a].docs.position - RESOURCE_REGISTRY[b].docs.position)

/** `read_customers` and `write_customers`: exact strings clients depend on. Write does not imply read. */
export function permissionsOf<N extends ResourceName>(name: N) {
  return { read: `read_${name}` as const, write: `write_${name}` as const }
}

/** `customer.created`, `customer.updated`, `customer.deleted`. */
export function eventTypeOf<N extends ResourceName, A extends EventAction>(name: N, action: A) {
  return `${RESOURCE_REGISTRY[name].singular}.${action}` as const
}

/** "Customer", as in "Customer not found" and "Customer Create". */
export function singularLabel(name: ResourceName): string {
  const { singular } = RESOURCE_REGISTRY[name]
  return singular.charAt(0).toUpperCase() + singular.slice(1)
}
