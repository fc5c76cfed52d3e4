import type { FastifyInstance } from 'fastify'
import type { TSchema } from 'typebox'
import {
  Category,
  CreateCategoryBody,
  CreateCustomerBody,
  CreateOrderBody,
  CreateProductBody,
  Customer,
  ErrorResponse,
  ListQuery,
  Order,
  Product,
  UpdateCategoryBody,
  UpdateCustomerBody,
  UpdateOrderBody,
  UpdateProductBody,
  listOf,
  resourceParams,
  type ListQuery as ListQueryT,
  type Permission,
  type Resource,
} from '@deskflow/shared'
import { NoContent } from '../../http/responses'
import type { ResourceService } from '../catalog/resource-service'
import { requirePermission } from './auth'

interface ResourceRoutes {
  resource: Resource
  prefix: string
  singular: string
  item: TSchema
  create: TSchema
  update: TSchema
  // Each resource's service has its own body types; routes hand over what the schema validated.
  service: ResourceService<unknown, never, never>
  /** Whether writes can collide with existing data (unique fields, stock): documents 409. */
  conflicts: boolean
}

/** What the schemas below validated; the bodies differ per resource and go to its service. */
interface RouteTypes {
  Params: { id: string }
  Querystring: ListQueryT
  Body: never
}

const errors = { 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 429: ErrorResponse }
const bodyErrors = { 422: ErrorResponse }
const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1)
const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`)

function registerResource(app: FastifyInstance, spec: ResourceRoutes) {
  const read = `read_${spec.resource}` as Permission
  const write = `write_${spec.resource}` as Permission
  const tags = [capital(spec.resource)]
  const Single = capital(spec.singular)
  const Plural = capital(spec.resource)
  const params = resourceParams(spec.prefix)
  const base = `/v1/${spec.resource}`
  const security = (p: Permission) => [{ basicAuth: [p] }]
  const needs = (p: Permission) => `\n\nRequires the \`${p}\` permission.`
  const conflict = spec.conflicts ? { 409: ErrorResponse } : {}

  app.get<RouteTypes>(
    base,
    {
      preValidation: requirePermission(read),
      schema: {
        tags, operationId: `list${Plural}`, summary: `List ${spec.resource}`,
        description: `Oldest first; follow \`nextCursor\` for more. \`updated_since\` returns only objects changed since then.${needs(read)}`,
        security: security(read), querystring: ListQuery, response: { 200: listOf(spec.item), 422: ErrorResponse, ...errors },
      },
    },
    async (request) => spec.service.list(request.apiKey.storeId, request.query),
  )

  app.get<RouteTypes>(
    `${base}/:id`,
    {
      preValidation: requirePermission(read),
      schema: {
        tags, operationId: `get${Single}`, summary: `Get ${article(spec.singular)}`, description: needs(read).trim(),
        security: security(read), params, response: { 200: spec.item, ...errors },
      },
    },
    async (request) => spec.service.get(request.apiKey.storeId, request.params.id),
  )

  app.post<RouteTypes>(
    base,
    {
      preValidation: requirePermission(write),
      schema: {
        tags, operationId: `create${Single}`, summary: `Create ${article(spec.singular)}`,
        description: `Records a \`${spec.singular}.created\` event.${needs(write)}`,
        security: security(write), body: spec.create, response: { 201: spec.item, ...bodyErrors, ...conflict, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await spec.service.create(request.apiKey.storeId, request.body as never)),
  )

  app.patch<RouteTypes>(
    `${base}/:id`,
    {
      preValidation: requirePermission(write),
      schema: {
        tags, operationId: `update${Single}`, summary: `Update ${article(spec.singular)}`,
        description: `Changes only the fields sent. Records a \`${spec.singular}.updated\` event.${needs(write)}`,
        security: security(write), params, body: spec.update, response: { 200: spec.item, ...bodyErrors, ...conflict, ...errors },
      },
    },
    async (request) => spec.service.update(request.apiKey.storeId, request.params.id, request.body as never),
  )

  app.delete<RouteTypes>(
    `${base}/:id`,
    {
      preValidation: requirePermission(write),
      schema: {
        tags, operationId: `delete${Single}`, summary: `Delete ${article(spec.singular)}`,
        description: `Records a \`${spec.singular}.deleted\` event carrying the deleted object.${needs(write)}`,
        security: security(write), params, response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await spec.service.remove(request.apiKey.storeId, request.params.id)
      return reply.code(204).send(null)
    },
  )
}

/** The integrator API's sections of the reference, one per resource. */
export const INTEGRATOR_TAGS = [
  { name: 'Customers', description: 'Integrator API: `read_customers`, `write_customers`.' },
  { name: 'Products', description: 'Integrator API: `read_products`, `write_products`.' },
  { name: 'Categories', description: 'Integrator API: `read_categories`, `write_categories`.' },
  { name: 'Orders', description: 'Integrator API: `read_orders`, `write_orders`. Totals are computed by the server.' },
]

export interface IntegratorServices {
  categories: ResourceService<unknown, never, never>
  products: ResourceService<unknown, never, never>
  customers: ResourceService<unknown, never, never>
  orders: ResourceService<unknown, never, never>
}

export function registerIntegratorRoutes(app: FastifyInstance, services: IntegratorServices) {
  registerResource(app, { resource: 'customers', prefix: 'cus', singular: 'customer', item: Customer, create: CreateCustomerBody, update: UpdateCustomerBody, service: services.customers, conflicts: true })
  registerResource(app, { resource: 'products', prefix: 'prod', singular: 'product', item: Product, create: CreateProductBody, update: UpdateProductBody, service: services.products, conflicts: true })
  registerResource(app, { resource: 'categories', prefix: 'cat', singular: 'category', item: Category, create: CreateCategoryBody, update: UpdateCategoryBody, service: services.categories, conflicts: false })
  registerResource(app, { resource: 'orders', prefix: 'ord', singular: 'order', item: Order, create: CreateOrderBody, update: UpdateOrderBody, service: services.orders, conflicts: true })
}
