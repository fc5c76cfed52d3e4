import type { EventType, ListQuery } from '@deskflow/shared'
import type { Db, Tx } from '../../db'
import { AppError } from '../../lib/errors'
import { newSortableId, type SortableIdPrefix } from '../../lib/ids'
import { decodeCursor, parseSince, toPage } from '../../lib/pagination'
import { recordEvent } from '../events/repo'
import { createScopedRepo, type ScopedRepo } from './scoped-repo'
import type { categories, customers, orders, products } from '../../db/schema'

type ScopedTable = typeof categories | typeof products | typeof customers | typeof orders
type Row<T extends ScopedTable> = T['$inferSelect']
type Fields<T extends ScopedTable> = Omit<T['$inferInsert'], 'id' | 'storeId' | 'createdAt' | 'updatedAt'>

export interface ResourceSpec<T extends ScopedTable, Item, CreateBody, UpdateBody> {
  table: T
  prefix: SortableIdPrefix
  /** "Customer": used in messages such as "Customer not found". */
  noun: string
  /** Event name stem: `customer` gives customer.created / .updated / .deleted. */
  event: 'customer' | 'product' | 'category' | 'order'
  present(row: Row<T>): Item
  /** Validates references and normalizes input; runs inside the write transaction. */
  prepareCreate(tx: Tx, storeId: string, body: CreateBody): Promise<Fields<T>>
  prepareUpdate(tx: Tx, storeId: string, body: UpdateBody): Promise<Partial<Fields<T>>>
  /** Runs inside the delete's transaction, before the row goes (to detach what refers to it). */
  beforeRemove?(tx: Tx, storeId: string, id: string): Promise<void>
  /** Unique constraint name → the field a duplicate is reported on. */
  uniqueFields?: Record<string, string>
}

interface PgError {
  code?: string
  constraint?: string
  cause?: PgError
}

/** A unique violation on a known constraint becomes a 409 naming the field. */
export function conflictFrom(err: unknown, uniqueFields: Record<string, string> = {}): AppError | undefined {
  const pg = (err as PgError).code ? (err as PgError) : (err as PgError).cause
  if (pg?.code !== '23505' || !pg.constraint) return undefined
  const field = uniqueFields[pg.constraint]
  if (!field) return undefined
  return new AppError('conflict', `${field}: another object in this store already has this value`, [
    { field, message: 'is already used by another object in this store' },
  ])
}

/**
 * List, get, create, update and delete for one store-scoped resource. Each write
 * and its event commit in one transaction.
 */
export function createResourceService<T extends ScopedTable, Item, CreateBody, UpdateBody>(
  db: Db,
  spec: ResourceSpec<T, Item, CreateBody, UpdateBody>,
) {
  const repo: ScopedRepo<T> = createScopedRepo(db, spec.table)
  const notFound = () => AppError.notFound(spec.noun)

  async function write<R>(fn: (tx: Tx) => Promise<R>): Promise<R> {
    try {
      return await db.transaction(fn)
    } catch (err) {
      throw conflictFrom(err, spec.uniqueFields) ?? err
    }
  }

  return {
    repo,

    async list(storeId: string, query: ListQuery) {
      const limit = query.limit ?? 20
      const rows = await repo.list(storeId, {
        limit: limit + 1,
        afterId: query.cursor ? decodeCursor(query.cursor, spec.prefix) : undefined,
        updatedSince: query.updated_since ? parseSince('updated_since', query.updated_since) : undefined,
      })
      return toPage(rows, limit, spec.present)
    },

    async get(storeId: string, id: string): Promise<Item> {
      const row = await repo.find(storeId, id)
      if (!row) throw notFound()
      return spec.present(row)
    },

    async create(storeId: string, body: CreateBody): Promise<Item> {
      return write(async (tx) => {
        const fields = await spec.prepareCreate(tx, storeId, body)
        const row = await repo.insert({ ...fields, id: newSortableId(spec.prefix), storeId } as T['$inferInsert'], tx)
        const item = spec.present(row)
        await recordEvent(tx, storeId, `${spec.event}.created` as EventType, item as object)
        return item
      })
    },

    async update(storeId: string, id: string, body: UpdateBody): Promise<Item> {
      return write(async (tx) => {
        if (!(await repo.find(storeId, id, tx, true))) throw notFound()
        const row = await repo.update(storeId, id, (await spec.prepareUpdate(tx, storeId, body)) as Partial<T['$inferInsert']>, tx)
        const item = spec.present(row!)
        await recordEvent(tx, storeId, `${spec.event}.updated` as EventType, item as object)
        return item
      })
    },

    async remove(storeId: string, id: string): Promise<void> {
      await write(async (tx) => {
        if (!(await repo.find(storeId, id, tx, true))) throw notFound()
        await spec.beforeRemove?.(tx, storeId, id)
        const row = await repo.remove(storeId, id, tx)
        if (!row) throw notFound()
        await recordEvent(tx, storeId, `${spec.event}.deleted` as EventType, spec.present(row) as object)
      })
    },
  }
}

export type ResourceService<Item, CreateBody, UpdateBody> = {
  list(storeId: string, query: ListQuery): Promise<{ data: Item[]; nextCursor: string | null }>
  get(storeId: string, id: string): Promise<Item>
  create(storeId: string, body: CreateBody): Promise<Item>
  update(storeId: string, id: string, body: UpdateBody): Promise<Item>
  remove(storeId: string, id: string): Promise<void>
}
