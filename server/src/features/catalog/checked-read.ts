import { getTableName, sql } from 'drizzle-orm'
import type { Permission } from '@deskflow/shared'
import type { Db } from '../../db'
import { keyCheckParams, type PresentedKey } from '../api-keys/key-check'
import { createCheckedStatements, servedWithoutAllowlist, type CheckedRead } from '../api-keys/checked-read'
import type { ScopedTable } from './scoped-repo'

export interface CheckedAccess {
  presented: PresentedKey
  permission: Permission
  /**
   * False for a key that is most likely refused (see `KeyAdmission.expectsRows`): the
   * key's row is read alone, by a plain key check, and an accepted request reads again.
   */
  readRows?: boolean
}

export interface CheckedListOptions {
  limit: number
  afterId?: string | undefined
  updatedSince?: Date | undefined
}

// Bound as text (PostgreSQL takes the column's type): pg formats a `Date` through the
// process's local time zone on every execution.
const EPOCH = new Date(0).toISOString()

/** The checked list and get of one resource's table, served to a key holding the `permission` bound. */
export function createCheckedReads<T extends ScopedTable>(db: Db, t: T) {
  type Row = T['$inferSelect']
  const statements = createCheckedStatements(db, t)
  const served = sql`(${servedWithoutAllowlist} and ${sql.placeholder('permission')} = any(k.permissions))`
  const name = getTableName(t)
  const list = statements.prepare(`list_${name}_checked`, {
    served,
    where: sql`${t.id} > ${sql.placeholder('afterId')} and ${t.updatedAt} >= ${sql.placeholder('updatedSince')}`,
    limit: sql`limit ${sql.placeholder('limit')}`,
  })
  const find = statements.prepare(`find_${name}_checked`, { served, where: sql`${t.id} = ${sql.placeholder('id')}` })

  return {
    /** A page as the scoped repository's `list` reads it, by a key checked in the same statement. */
    async list(
      { presented, permission, readRows }: CheckedAccess,
      { limit, afterId, updatedSince }: CheckedListOptions,
    ): Promise<CheckedRead<Row>> {
      if (readRows === false) return statements.keyOnly(presented)
      return list({
        ...keyCheckParams(presented),
        permission,
        afterId: afterId ?? '',
        updatedSince: updatedSince?.toISOString() ?? EPOCH,
        limit,
      })
    },

    /** The row of `id`, by a key checked in the same statement. */
    async find({ presented, permission, readRows }: CheckedAccess, id: string): Promise<CheckedRead<Row>> {
      if (readRows === false) return statements.keyOnly(presented)
      return find({ ...keyCheckParams(presented), permission, id })
    },
  }
}
