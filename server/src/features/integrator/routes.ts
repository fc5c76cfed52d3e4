import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
} from 'fastify'
import type { Static, TSchema } from 'typebox'
import {
  ErrorResponse,
  ListQuery,
  REFERENCE_ORDER,
  RESOURCE_REGISTRY,
  listOf,
  permissionsOf,
  resourceParams,
  type Permission,
  type ResourceEntry,
  type ResourceName,
} from '@deskflow/shared'
import { NoContent } from '../../http/responses'
import { nulError } from '../../http/validation'
import type { CheckedAccess, CheckedAnswer } from '../catalog/resource-service'
import { requirePermission, type KeyAdmission } from './auth'
import { IdempotencyHeaders, createIdempotentWrites, type IdempotentWrites } from './idempotent'
import type { IdempotentWrite } from '../idempotency/record'
import type { Writer } from '../api-keys/write-key-check'
import type { Idempotency } from '../idempotency/service'

type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>

/**
 * The body the TypeBox type provider gives a route whose body schema is `S`: the schema's
 * static type once `S` is known. Spelled as the provider spells it, so that in code generic
 * over the resource the compiler sees the route's body and the service's parameter as one type.
 */
type RouteBody<S extends TSchema> = FastifyRequest<
  RouteGenericInterface,
  RawServerDefault,
  RawRequestDefaultExpression,
  { body: S },
  TypeBoxTypeProvider
>['body']

type Item<N extends ResourceName> = Static<ResourceEntry<N>['schemas']['item']>

/** What the routes of one resource need from its service: the bodies its schemas validate, and its items. */
export interface IntegratorService<N extends ResourceName> {
  /** The list and get of a key checked in the same statement (see `CheckedAnswer`). */
  listChecked: (access: CheckedAccess, query: ListQuery | null) => Promise<CheckedAnswer<{ data: Item<N>[]; nextCursor: string | null }>>
  getChecked: (access: CheckedAccess, id: string) => Promise<CheckedAnswer<Item<N>>>
  create: (writer: Writer, body: RouteBody<ResourceEntry<N>['schemas']['create']>, idempotent?: IdempotentWrite) => Promise<Item<N>>
  update: (
    writer: Writer,
    id: string,
    body: RouteBody<ResourceEntry<N>['schemas']['update']>,
    idempotent?: IdempotentWrite,
  ) => Promise<Item<N>>
  remove: (writer: Writer, id: string) => Promise<void>
}

/** One service per resource of the registry: a missing one, or one taking another resource's bodies, does not compile. */
export type IntegratorServices = { [N in ResourceName]: IntegratorService<N> }

const errors = { 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 429: ErrorResponse }
const bodyErrors = { 422: ErrorResponse }
const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1)
const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`)
const security = (p: Permission) => [{ basicAuth: [p] }]
const needs = (p: Permission) => `\n\nRequires the \`${p}\` permission.`

/**
 * The reads check their API key in the same statement as their data (one round trip);
 * validation errors wait until the key has been judged, as on routes judged on request.
 */
const checkedRead = { config: { checksKey: true }, attachValidation: true }

/** List, get, create, update and delete of one resource, as its registry entry describes them. */
function registerResource<N extends ResourceName>(
  app: TypedApp,
  name: N,
  service: IntegratorService<N>,
  admission: KeyAdmission,
  idempotent: IdempotentWrites,
) {
  const { singular, prefix, label, schemas, conflicts } = RESOURCE_REGISTRY[name]

  /**
   * A checked read's answer: its statement (told whether the input is valid), then the
   * key judged as on every route, then the input's error (validation or a NUL
   * character), and only then what was read.
   */
  async function answerChecked<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    permission: Permission,
    read: (access: CheckedAccess, valid: boolean) => Promise<CheckedAnswer<T>>,
  ): Promise<T> {
    const invalid = request.validationError ?? nulError(request)
    const checked = await read(
      { presented: request.presentedKey, permission, readRows: admission.expectsRows(request, permission) },
      !invalid,
    )
    await admission.admit(request, reply, checked.verification, permission)
    if (invalid) throw invalid
    return checked.answer()
  }
  const { read, write } = permissionsOf(name)
  const tags = [label]
  const Single = capital(singular)
  const Plural = capital(name)
  const params = resourceParams(prefix)
  const base = `/v1/${name}`
  const conflict = conflicts ? { 409: ErrorResponse } : {}
  // The answers are validated and serialized by the item schema; their type is checked
  // where the services are handed over (IntegratorServices), not per route.
  const item: TSchema = schemas.item

  app.get(
    base,
    {
      ...checkedRead,
      schema: {
        tags,
        operationId: `list${Plural}`,
        summary: `List ${name}`,
        description: `Oldest first; follow \`nextCursor\` for more. \`updated_since\` returns only objects changed since then.${needs(read)}`,
        security: security(read),
        querystring: ListQuery,
        response: { 200: listOf(item), 422: ErrorResponse, ...errors },
      },
    },
    async (request, reply) =>
      answerChecked(request, reply, read, (access, valid) => service.listChecked(access, valid ? request.query : null)),
  )

  app.get(
    `${base}/:id`,
    {
      ...checkedRead,
      schema: {
        tags,
        operationId: `get${Single}`,
        summary: `Get ${article(singular)}`,
        description: needs(read).trim(),
        security: security(read),
        params,
        response: { 200: item, ...errors },
      },
    },
    // An id that failed validation is not looked up: '' names no row.
    async (request, reply) =>
      answerChecked(request, reply, read, (access, valid) => service.getChecked(access, valid ? request.params.id : '')),
  )

  app.post(
    base,
    {
      preValidation: requirePermission(write),
      schema: {
        tags,
        operationId: `create${Single}`,
        summary: `Create ${article(singular)}`,
        description: `Records a \`${singular}.created\` event. Send an \`Idempotency-Key\` to retry safely.${needs(write)}`,
        security: security(write),
        headers: IdempotencyHeaders,
        body: schemas.create,
        response: { 201: item, ...bodyErrors, ...conflict, ...errors },
      },
    },
    async (request, reply) => {
      reply.code(201)
      return admission.write(request, write, (writer) => idempotent(request, reply, (w) => service.create(writer, request.body, w)))
    },
  )

  app.patch(
    `${base}/:id`,
    {
      preValidation: requirePermission(write),
      schema: {
        tags,
        operationId: `update${Single}`,
        summary: `Update ${article(singular)}`,
        description: `Changes only the fields sent. Records a \`${singular}.updated\` event. Send an \`Idempotency-Key\` to retry safely.${needs(write)}`,
        security: security(write),
        headers: IdempotencyHeaders,
        params,
        body: schemas.update,
        response: { 200: item, ...bodyErrors, ...conflict, ...errors },
      },
    },
    async (request, reply) =>
      admission.write(request, write, (writer) =>
        idempotent(request, reply, (w) => service.update(writer, request.params.id, request.body, w)),
      ),
  )

  app.delete(
    `${base}/:id`,
    {
      preValidation: requirePermission(write),
      schema: {
        tags,
        operationId: `delete${Single}`,
        summary: `Delete ${article(singular)}`,
        description: `Records a \`${singular}.deleted\` event carrying the deleted object.${needs(write)}`,
        security: security(write),
        params,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await admission.write(request, write, (writer) => service.remove(writer, request.params.id))
      return reply.code(204).send(null)
    },
  )
}

/** The integrator API's sections of the reference, one per resource. */
export const INTEGRATOR_TAGS = REFERENCE_ORDER.map((name) => {
  const { label, docs } = RESOURCE_REGISTRY[name]
  const { read, write } = permissionsOf(name)
  return { name: label, description: `Integrator API: \`${read}\`, \`${write}\`.${docs.note ? ` ${docs.note}` : ''}` }
})

/** Every resource of the registry under `/v1/…`, in the reference's order. */
export const integratorRoutes: FastifyPluginAsyncTypebox<{
  services: IntegratorServices
  admission: KeyAdmission
  idempotency: Idempotency
}> = async (app, { services, admission, idempotency }) => {
  const idempotent = createIdempotentWrites(idempotency)
  for (const name of REFERENCE_ORDER) registerResource(app, name, services[name], admission, idempotent)
}
