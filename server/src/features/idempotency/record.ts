import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../db'
import { idempotencyKeys } from '../../db/schema'

/**
 * A write made under an `Idempotency-Key` this request has claimed: the write stores its
 * answer (`status`, and the bytes `respond` makes of the result) in its own transaction or
 * statement, so a committed write always has its answer to replay.
 */
export interface IdempotentWrite {
  apiKeyId: string
  key: string
  status: number
  respond(result: unknown): string
}

/** Inside the write's transaction: the key done, with the write's answer. */
export async function completeIdempotent(tx: Tx, write: IdempotentWrite | undefined, result: unknown): Promise<void> {
  if (!write) return
  await tx
    .update(idempotencyKeys)
    .set({ status: 'done', responseStatus: write.status, responseBody: write.respond(result) })
    .where(and(eq(idempotencyKeys.apiKeyId, write.apiKeyId), eq(idempotencyKeys.key, write.key)))
}

/** The same as a CTE of a write's statement, by placeholders (`idem.*`, see `idempotentValues`). */
export const completeIdempotentCte = sql`idempotency_done as (
  update ${idempotencyKeys} set status = 'done', response_status = ${sql.placeholder('idem.status')}::int,
         response_body = ${sql.placeholder('idem.body')}::text
   where api_key_id = ${sql.placeholder('idem.apiKeyId')}::text and key = ${sql.placeholder('idem.key')}::text)`

export function idempotentValues(write: IdempotentWrite, result: unknown): Record<string, unknown> {
  return { 'idem.apiKeyId': write.apiKeyId, 'idem.key': write.key, 'idem.status': write.status, 'idem.body': write.respond(result) }
}
