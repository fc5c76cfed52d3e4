import type { Tx } from '../../db'
import { AppError } from '../../lib/errors'
import { existsInStore, type ScopedTable } from './scoped-repo'

/**
 * A field naming a row of another resource, which must be of the same store: `null`
 * or absent names none; anything else is refused on that field with `message`.
 */
export function referenceCheck(table: ScopedTable, field: string, message: string) {
  return async function check(tx: Tx, storeId: string, id: string | null | undefined): Promise<void> {
    if (id === null || id === undefined) return
    if (!(await existsInStore(tx, table, storeId, id))) throw AppError.invalidField(field, message)
  }
}
