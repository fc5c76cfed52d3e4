import { and, eq, sql, type SQL } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import type { Permission } from '@deskflow/shared'
import type { Db, Tx } from '../../db'
import { pgErrorOf } from '../../lib/pg-errors'
import { apiKeys } from '../../db/schema'
import { byPresentedKey, keyCheckParams, keyRefusal, type PresentedKey } from './key-check'

/**
 * The API key a write is made with, checked again inside the write. A request's key is
 * checked when it arrives (`integrator/auth.ts`); without a second check, a write checked a
 * moment before a revocation committed could commit after the revocation answered. With it,
 * no write made with a key commits after the answer to a change of that key:
 *
 * - Every write checks its key (still valid, of this store, holding the permission) inside
 *   its own transaction: a CTE of the one-statement create (`writeKeyCte`, with a guard that
 *   rolls the whole statement back), the first statement of every other write's transaction
 *   (`checkWriteKey`).
 * - Every change of a key by the admin API commits, then waits until each transaction of
 *   the application that was running at its commit has ended (`waitForWritesInFlight`), and
 *   only then answers.
 *
 * A write that commits after the answer was not running at the change's commit, so it began
 * after it, and its check, inside it, sees the change. Writes take no lock for this: a
 * revocation pays the wait (the length of the longest transaction in flight, milliseconds),
 * the writes of a busy key do not queue on one row or one lock (measured: both cost
 * throughput, docs/performance.md).
 */
export interface Writer {
  /** The store written to, the key's. */
  storeId: string
  /** The key's credentials, as the request presented them. */
  presented: PresentedKey
  /** What the write needs of the key. */
  permission: Permission
}

const writeKeyRow = and(
  byPresentedKey,
  eq(apiKeys.storeId, sql.placeholder('writer.storeId')),
  sql`${keyRefusal} is null`,
  sql`${sql.placeholder('writer.permission')}::text = any(${apiKeys.permissions})`,
)!

/**
 * The check as a CTE of a write's statement: `write_key`, and `writeKeyGuard`, the expression
 * its final select must evaluate. The guard raises (SQLSTATE DFK01, migration 0015) unless
 * the key's row was found valid, rolling back every other part of the statement.
 */
export const writeKeyCte = sql`write_key as (select 1 from ${apiKeys} where ${writeKeyRow})`
export const writeKeyGuard = sql`api_key_write_held(exists (select 1 from write_key))`

/**
 * The values the check binds, by placeholder name: judged at the time of the write (expiry,
 * the end of a grace period), not when the request arrived; a slow body must not write with a
 * key that expired meanwhile.
 */
export const writeKeyValues = (writer: Writer): Record<string, unknown> => ({
  ...keyCheckParams({ ...writer.presented, now: new Date() }),
  'writer.storeId': writer.storeId,
  'writer.permission': writer.permission,
})

/** The key was revoked or changed while its write ran: the write made no change. */
export class KeyRevokedDuringWrite extends Error {
  constructor() {
    super('the API key of this write was revoked or changed while it ran')
  }
}

const KEY_REVOKED = 'DFK01'

/** A claimed `Idempotency-Key` refers to its API key: a key deleted while the claim is made fails it. */
const CLAIM_OF_KEY = 'idempotency_keys_api_key_id_api_keys_id_fk'

/**
 * Whether a write failed because its key no longer holds: `KeyRevokedDuringWrite`, the guard of a
 * one-statement write, or the claim of its `Idempotency-Key` made as the key was deleted.
 */
export function isKeyRevokedDuringWrite(err: unknown): boolean {
  const pg = pgErrorOf(err)
  return err instanceof KeyRevokedDuringWrite || pg?.code === KEY_REVOKED || pg?.constraint === CLAIM_OF_KEY
}

/** As the first statement of a write's transaction: the key checked inside it. */
export async function checkWriteKey(tx: Tx, writer: Writer): Promise<void> {
  const held = await tx
    .select({ held: sql<number>`1` })
    .from(apiKeys)
    .where(writeKeyRow)
    .prepare('api_key_write_check')
    .execute(writeKeyValues(writer))
  if (held.length === 0) throw new KeyRevokedDuringWrite()
}

/** `fn` in a transaction whose first statement checks the writer's key. */
export function checkedTransaction<R>(db: Db, writer: Writer, fn: (tx: Tx) => Promise<R>): Promise<R> {
  return db.transaction(async (tx) => {
    await checkWriteKey(tx, writer)
    return fn(tx)
  })
}

/** How long a change of a key waits for the writes in flight before it answers anyway. */
const WRITES_IN_FLIGHT_MS = 10_000

/**
 * After a change of a key has committed: waits until every transaction of this database and
 * login role that was running at the commit has ended (`pg_stat_activity`: each by its
 * process and start time; every instance of the application connects as one role). Those are
 * the only transactions that may still write with the key as it was. At most
 * `WRITES_IN_FLIGHT_MS`: the change has committed and answers then, with a warning naming how
 * many transactions still ran (a write that long could still commit after the answer). The
 * same if the wait itself fails: the change is done, only the wait is cut short.
 */
export async function waitForWritesInFlight(db: Db, log: Pick<FastifyBaseLogger, 'warn'>, timeoutMs = WRITES_IN_FLIGHT_MS): Promise<void> {
  type Running = { pid: number; started: string }
  // Start times to the microsecond, as text that does not depend on the session's time zone.
  const running = async (where: SQL) =>
    (
      await db.execute<Running>(
        sql`select pid, (extract(epoch from xact_start) * 1000000)::bigint::text as started from pg_stat_activity
             where datname = current_database() and usename = session_user and pid <> pg_backend_pid()
               and xact_start is not null and ${where}`,
      )
    ).rows
  try {
    const atCommit = await running(sql`true`)
    if (atCommit.length === 0) return
    const pids = atCommit.map((r) => r.pid)
    const deadline = Date.now() + timeoutMs
    for (let pause = 1; ; pause = Math.min(pause * 2, 20)) {
      const still = (await running(sql`pid in ${pids}`)).filter((r) => atCommit.some((c) => c.pid === r.pid && c.started === r.started))
      if (still.length === 0) return
      if (Date.now() > deadline) {
        log.warn({ transactions: still.length, waitedMs: timeoutMs }, 'API key changed: answering before every transaction in flight ended')
        return
      }
      await new Promise((resolve) => setTimeout(resolve, pause))
    }
  } catch (err) {
    log.warn({ err }, 'API key changed: could not wait for the transactions in flight')
  }
}
