import { RESOURCE_REGISTRY, eventTypeOf, singularLabel, type ListQuery, type ResourceName } from '@deskflow/shared'
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm'
import type { Db, Tx } from '../../db'
import { prepareArrayRows, tableRowValues } from '../../db/array-rows'
import { AppError } from '../../lib/errors'
import { newSortableId } from '../../lib/ids'
import type { Cursors } from '../../lib/cursor'
import { parseSince, sinceOrNull, toPage } from '../../lib/pagination'
import { eventParts, eventPlaceholders, eventValues, newEvent, recordEvent } from '../events/record'
import { completeIdempotent, completeIdempotentCte, idempotentValues, type IdempotentWrite } from '../idempotency/record'
import { checkedAnswer, type CheckedAnswer } from '../api-keys/checked-read'
import { writeKeyCte, writeKeyValues, checkedTransaction, writeKeyGuard, type Writer } from '../api-keys/write-key-check'
import { createCheckedReads, type CheckedAccess } from './checked-read'
import { createScopedRepo, type ScopedRepo, type ScopedTable } from './scoped-repo'

export type { CheckedAccess } from './checked-read'
export type { CheckedAnswer } from '../api-keys/checked-read'

type Row<T extends ScopedTable> = T['$inferSelect']
/** A row's own fields: every column but the id, the store and the times, which the server sets. */
type Fields<T extends ScopedTable> = Omit<Row<T>, 'id' | 'storeId' | 'createdAt' | 'updatedAt'>

export interface ReaderSpec<T extends ScopedTable, Item> {
  table: T
  /** Its registry entry gives the id prefix, the noun of messages ("Customer not found") and the event types. */
  resource: ResourceName
  present(row: Row<T>): Item
}

export interface ResourceSpec<T extends ScopedTable, Item, CreateBody, UpdateBody> extends ReaderSpec<T, Item> {
  /**
   * Validates references and normalizes input, before the insert (outside a transaction:
   * a reference deleted meanwhile fails the insert's foreign key, answered on its field).
   */
  prepareCreate(tx: Tx, storeId: string, body: CreateBody): Promise<Fields<T>>
  /** Runs inside the update's transaction, the row locked. */
  prepareUpdate(tx: Tx, storeId: string, body: UpdateBody): Promise<Partial<Fields<T>>>
  /** Runs inside the delete's transaction, before the row goes (to detach what refers to it). */
  beforeRemove?(tx: Tx, storeId: string, id: string): Promise<void>
}

/**
 * Paged list and get of one store-scoped resource, and its repository: what every
 * resource serves alike, whatever its rules for writes.
 */
export function createResourceReader<T extends ScopedTable, Item>(db: Db, cursors: Cursors, spec: ReaderSpec<T, Item>) {
  const repo: ScopedRepo<T> = createScopedRepo(db, spec.table)
  const checkedReads = createCheckedReads(db, spec.table)
  const { prefix } = RESOURCE_REGISTRY[spec.resource]
  const notFound = () => AppError.notFound(singularLabel(spec.resource))

  async function list(storeId: string, query: ListQuery) {
    const limit = query.limit ?? 20
    const list = `${prefix}:${storeId}`
    const rows = await repo.list(storeId, {
      limit: limit + 1,
      afterId: query.cursor ? cursors.decode(list, query.cursor) : undefined,
      updatedSince: query.updated_since ? parseSince('updated_since', query.updated_since) : undefined,
    })
    return toPage(rows, limit, spec.present, (id) => cursors.encode(list, id))
  }

  async function get(storeId: string, id: string): Promise<Item> {
    const row = await repo.find(storeId, id)
    if (!row) throw notFound()
    return spec.present(row)
  }

  return {
    repo,
    notFound,

    /**
     * `list` with the key checked in the same statement. Query input that cannot be read
     * (`null` after a failed validation, a malformed cursor or time) still checks the key
     * but reads no rows: the 422 comes after the key's own refusals, as on every route.
     */
    async listChecked(access: CheckedAccess, query: ListQuery | null): Promise<CheckedAnswer<Page<Item>>> {
      const limit = query?.limit ?? 20
      const afterId = query?.cursor ? cursors.peek(query.cursor) : undefined
      const updatedSince = query?.updated_since ? sinceOrNull(query.updated_since) : undefined
      const readable = query !== null && afterId !== null && updatedSince !== null && access.readRows !== false
      const read = await checkedReads.list(
        { ...access, readRows: readable },
        {
          limit: limit + 1,
          afterId: afterId ?? undefined,
          updatedSince: updatedSince ?? undefined,
        },
      )
      return checkedAnswer(read, async (storeId) => {
        if (!query) throw new Error('answer() of a read whose input failed validation')
        const name = `${prefix}:${storeId}`
        // decode and parseSince verify and name the field; peek only said the text was well formed.
        if (query.cursor) cursors.decode(name, query.cursor)
        if (query.updated_since) parseSince('updated_since', query.updated_since)
        // Not read for an accepted key: it has an address allowlist (checked by the caller),
        // or it looked likely to be refused and is not (see `CheckedAccess.readRows`).
        if (!read.served) return list(storeId, query)
        return toPage(read.rows, limit, spec.present, (id) => cursors.encode(name, id))
      })
    },

    /** `get` with the key checked in the same statement. */
    async getChecked(access: CheckedAccess, id: string): Promise<CheckedAnswer<Item>> {
      // '' (an id that failed validation) names no row: the key is checked alone.
      const read = await checkedReads.find({ ...access, readRows: access.readRows !== false && id !== '' }, id)
      return checkedAnswer(read, async (storeId) => {
        if (!read.served) return get(storeId, id)
        const [row] = read.rows
        if (!row) throw notFound()
        return spec.present(row)
      })
    },
  }
}

type Page<Item> = { data: Item[]; nextCursor: string | null }

/**
 * List, get, create, update and delete for one store-scoped resource. Each write
 * and its event commit in one transaction, which checks the writer's API key again
 * (`api-keys/write-key-check.ts`); what the database refuses (a duplicate, a reference deleted
 * meanwhile) is answered by the error handler, naming the field.
 */
export function createResourceService<T extends ScopedTable, Item, CreateBody, UpdateBody>(
  db: Db,
  cursors: Cursors,
  spec: ResourceSpec<T, Item, CreateBody, UpdateBody>,
) {
  const { repo, notFound, listChecked, getChecked } = createResourceReader(db, cursors, spec)
  const { prefix } = RESOURCE_REGISTRY[spec.resource]
  const { statement: createStatement, rowValues } = prepareCreateStatement(db, spec.table)

  return {
    repo,
    listChecked,
    getChecked,

    /**
     * The row, its event, the event's deliveries and their jobs in one statement (one
     * round trip, atomic without a transaction of its own), which also checks the writer's
     * key: the row is presented before the insert, its times set by the server, and that is
     * the event's data. Under an `Idempotency-Key`, the answer is stored by the same statement.
     */
    async create(writer: Writer, body: CreateBody, idempotent?: IdempotentWrite): Promise<Item> {
      const { storeId } = writer
      const fields = await spec.prepareCreate(db, storeId, body)
      const now = new Date()
      const timestamp = now.toISOString()
      const row = { ...fields, id: newSortableId(prefix, now.getTime()), storeId, createdAt: timestamp, updatedAt: timestamp } as Row<T>
      const item = spec.present(row)
      const { binding } = newEvent(storeId, eventTypeOf(spec.resource, 'created'), item as object, now)
      await createStatement.execute({ ...rowValues(row), ...eventValues(binding), ...writeKeyValues(writer) }, idempotent, item)
      return item
    },

    async update(writer: Writer, id: string, body: UpdateBody, idempotent?: IdempotentWrite): Promise<Item> {
      const { storeId } = writer
      return checkedTransaction(db, writer, async (tx) => {
        if (!(await repo.find(storeId, id, tx, true))) throw notFound()
        const row = await repo.update(storeId, id, (await spec.prepareUpdate(tx, storeId, body)) as Partial<T['$inferInsert']>, tx)
        const item = spec.present(row!)
        await recordEvent(tx, { storeId, type: eventTypeOf(spec.resource, 'updated'), data: item as object })
        await completeIdempotent(tx, idempotent, item)
        return item
      })
    },

    async remove(writer: Writer, id: string): Promise<void> {
      const { storeId } = writer
      await checkedTransaction(db, writer, async (tx) => {
        if (!(await repo.find(storeId, id, tx, true))) throw notFound()
        await spec.beforeRemove?.(tx, storeId, id)
        const row = await repo.remove(storeId, id, tx)
        if (!row) throw notFound()
        await recordEvent(tx, { storeId, type: eventTypeOf(spec.resource, 'deleted'), data: spec.present(row) as object })
      })
    },
  }
}

/**
 * A table's insert of one row, with the row's event and the writer's key checked
 * (`writeKeyValues`), prepared once: every column a placeholder (`row.<column>`), the
 * event's values as `eventValues` names them; and the
 * same storing the answer of an `Idempotency-Key` (`idem.*`), a statement of its own so
 * that a write without one does no more work.
 */
function prepareCreateStatement<T extends ScopedTable>(db: Db, table: T) {
  const columns = Object.entries(getTableColumns(table))
  const names = sql.join(
    columns.map(([, c]) => sql.identifier(c.name)),
    sql`, `,
  )
  const values = sql.join(
    columns.map(([key]) => sql.placeholder(`row.${key}`)),
    sql`, `,
  )
  const { ctes, jobs } = eventParts(eventPlaceholders)
  const name = getTableName(table)
  const insert = (parts: SQL[]) =>
    sql`with ${writeKeyCte}, created as (insert into ${table} (${names}) values (${values})), ${sql.join(parts, sql`, `)}
        select ${jobs}, ${writeKeyGuard}`
  const plain = prepareArrayRows(db, `create_${name}`, insert(ctes))
  const idempotent = prepareArrayRows(db, `create_${name}_idempotent`, insert([...ctes, completeIdempotentCte]))
  const statement = {
    execute: (values: Record<string, unknown>, write: IdempotentWrite | undefined, result: unknown) =>
      write ? idempotent.execute({ ...values, ...idempotentValues(write, result) }) : plain.execute(values),
  }
  const rowValues = tableRowValues(table, 'row.') as (row: Row<T>) => Record<string, unknown>
  return { statement, rowValues }
}
