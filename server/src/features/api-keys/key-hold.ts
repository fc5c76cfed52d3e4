import { and, eq, sql } from 'drizzle-orm'
import type { Permission } from '@deskflow/shared'
import type { Tx } from '../../db'
import { pgErrorOf } from '../../lib/pg-errors'
import { apiKeys } from '../../db/schema'
import { byPresentedKey, keyCheckParams, keyRefusal, type PresentedKey } from './key-check'

/**
 * The API key a write is made with, checked again inside the write and held there until
 * it commits. A request's key is checked when it arrives (`integrator/auth.ts`); without a
 * hold, a write checked a moment before a revocation committed could commit a moment after
 * the revocation answered. With one, no write made with a key commits after the answer to
 * that key's revocation:
 *
 * - A write takes a shared lock on its key's writes (an advisory lock: `KEY_WRITES`, the
 *   key's id) and locks the key's row `for key share`, in the statement that checks the key
 *   (still valid, of this store, holding the permission).
 * - A revocation, every change of a key made by the admin API (`api-keys/service.ts`), takes
 *   the same advisory lock exclusively before it changes the row (`waitForWrites`): it waits
 *   for the writes in flight to commit, and writes that come meanwhile queue behind it (the
 *   lock manager queues fairly, so a steady stream of writes cannot hold a revocation off).
 *   It then locks the row `for update`.
 * - A write that waited finds the key as the revocation left it: its row lock conflicts
 *   with that `for update`, so PostgreSQL checks the row's newest version again (a
 *   statement's snapshot predates its wait) and the write is refused, having changed nothing.
 *
 * `for key share`, the weakest row lock: the key's last use (`usage/repo.ts`) and the secret
 * rotation (`secrets/rotate.ts`) change its row without revoking anything, and neither waits
 * for writes nor holds them up.
 */
export interface WriteKey {
  presented: PresentedKey
  storeId: string
  permission: Permission
}

/** Who writes: the store, and the key held until the write commits. */
export interface Writer {
  storeId: string
  key: WriteKey
}

/** The advisory lock class of a key's writes (two-integer form: the class, then `hashtext` of the key's id). */
const KEY_WRITES = 7271

const heldKeyRow = and(
  byPresentedKey,
  eq(apiKeys.storeId, sql.placeholder('hold.storeId')),
  sql`${keyRefusal} is null`,
  sql`${sql.placeholder('hold.permission')}::text = any(${apiKeys.permissions})`,
  // Evaluated on a row the rest accepts, before the row lock: after a revocation, if one is under way.
  sql`pg_advisory_xact_lock_shared(${sql.raw(String(KEY_WRITES))}, hashtext(${apiKeys.id})) is not null`,
)!

/**
 * The hold as a CTE of a write's statement: `held_key`, and `keyHeldGuard`, the expression
 * its final select must evaluate. The guard raises (SQLSTATE DFK01, migration 0015) unless
 * the key's row was found valid and locked, rolling back every other part of the statement.
 */
export const heldKeyCte = sql`held_key as (select 1 from ${apiKeys} where ${heldKeyRow} for key share)`
export const keyHeldGuard = sql`api_key_write_held(exists (select 1 from held_key))`

/** The values the hold binds, by placeholder name. */
export const heldKeyValues = (key: WriteKey): Record<string, unknown> => ({
  ...keyCheckParams(key.presented),
  'hold.storeId': key.storeId,
  'hold.permission': key.permission,
})

/** The key was revoked or changed while its write ran: the write made no change. */
export class KeyNotHeld extends Error {
  constructor() {
    super('the API key of this write was revoked or changed while it ran')
  }
}

const KEY_NOT_HELD = 'DFK01'

/** A claimed `Idempotency-Key` refers to its API key: a key deleted while the claim is made fails it. */
const CLAIM_OF_KEY = 'idempotency_keys_api_key_id_api_keys_id_fk'

/**
 * Whether a write failed because its key no longer holds: `KeyNotHeld`, the guard of a
 * one-statement write, or the claim of its `Idempotency-Key` made as the key was deleted.
 */
export function isKeyNotHeld(err: unknown): boolean {
  const pg = pgErrorOf(err)
  return err instanceof KeyNotHeld || pg?.code === KEY_NOT_HELD || pg?.constraint === CLAIM_OF_KEY
}

/** As the first statement of a write's transaction: the key checked and locked until the transaction ends. */
export async function holdKey(tx: Tx, key: WriteKey): Promise<void> {
  const held = await tx
    .select({ held: sql<number>`1` })
    .from(apiKeys)
    .where(heldKeyRow)
    .for('key share')
    .prepare('api_key_hold')
    .execute(heldKeyValues(key))
  if (held.length === 0) throw new KeyNotHeld()
}

/** A transaction whose first statement holds the writer's key. */
export function heldTransaction(db: { transaction: <R>(fn: (tx: Tx) => Promise<R>) => Promise<R> }, writer: Writer) {
  return <R>(fn: (tx: Tx) => Promise<R>): Promise<R> =>
    db.transaction(async (tx) => {
      await holdKey(tx, writer.key)
      return fn(tx)
    })
}

/**
 * In a revocation's transaction (any change of a key by the admin API), after its row is
 * locked `for no key update` and before it is changed: waits until every write holding the
 * key has committed, holds new ones until this transaction ends, and locks the row
 * `for update`. That lock, not the change itself (which leaves the key columns alone),
 * is what makes a write that waited look at the row's newest version.
 */
export async function waitForWrites(tx: Tx, apiKeyId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(KEY_WRITES))}, hashtext(${apiKeyId}))`)
  await tx.execute(sql`select 1 from ${apiKeys} where ${apiKeys.id} = ${apiKeyId} for update`)
}
