import { sql } from 'drizzle-orm'
import type { Db } from '../../db'
import type { SecretBox } from '../../lib/secret-box'

/** How far a rotation got in one table: rows made again under the current key, of those that needed it. */
export interface RotationProgress {
  table: 'api_keys' | 'webhooks'
  done: number
  total: number
}

export interface RotationReport {
  apiKeys: number
  webhooks: number
  /** Rows that no key of the ring opens (made by a key no longer configured): left as they are. */
  unreadable: Array<{ table: 'api_keys' | 'webhooks'; id: string; problem: string }>
  /**
   * Old API secrets still in their grace period after a regeneration, hashed under a previous
   * key: only their hash is stored, so they cannot be made again. They verify while that key
   * stays in SECRET_KEY_PREVIOUS, at the latest until `until`.
   */
  previousSecretsUnderOldKeys: { count: number; until: Date | null }
}

interface Row {
  id: string
  stored: Array<string | null>
}

/**
 * Makes every stored secret again under the current key of `box`: each API key's secret
 * (decrypted, then encrypted and hashed anew) and each webhook's signing secrets (decrypted,
 * encrypted anew). Runs beside a live service: a row is read and written in batches of
 * `batchSize`, each write only if the row still holds what was read (a secret regenerated
 * meanwhile is already under the current key and is left alone), so a batch never blocks the
 * service for long and an interrupted rotation is finished by running it again. The secrets
 * themselves do not change: integrators and webhook receivers notice nothing.
 */
export async function rotateSecrets(
  db: Db,
  box: SecretBox,
  options: { batchSize?: number; onProgress?: (progress: RotationProgress) => void } = {},
): Promise<RotationReport> {
  const batchSize = options.batchSize ?? 500
  const current = box.keyId
  const unreadable: RotationReport['unreadable'] = []

  /** One table: rows outside the current key, a batch at a time in id order. */
  async function rotateTable(
    table: RotationProgress['table'],
    pending: ReturnType<typeof sql>,
    select: ReturnType<typeof sql>,
    remake: (values: Array<string | null>) => Array<string | null>,
    write: (id: string, before: Array<string | null>, after: Array<string | null>) => ReturnType<typeof sql>,
  ): Promise<number> {
    const [{ total }] = (await db.execute<{ total: number }>(sql`select count(*)::int as total from ${sql.raw(table)} where ${pending}`))
      .rows as [{ total: number }]
    let done = 0
    let after = ''
    options.onProgress?.({ table, done, total })
    for (;;) {
      const rows = (
        await db.execute<{ id: string; stored: Array<string | null> }>(
          sql`select id, ${select} as stored from ${sql.raw(table)} where ${pending} and id > ${after} order by id limit ${batchSize}`,
        )
      ).rows as Row[]
      if (rows.length === 0) break
      after = rows.at(-1)!.id
      const writes: Array<ReturnType<typeof sql>> = []
      for (const row of rows) {
        try {
          writes.push(write(row.id, row.stored, remake(row.stored)))
        } catch (err) {
          unreadable.push({ table, id: row.id, problem: (err as Error).message })
        }
      }
      // One statement a batch; rows changed since they were read are skipped by `write`'s condition.
      if (writes.length > 0) {
        const updated = await db.transaction(async (tx) => {
          let count = 0
          for (const statement of writes) count += (await tx.execute(statement)).rowCount ?? 0
          return count
        })
        done += updated
      }
      options.onProgress?.({ table, done, total })
    }
    return done
  }

  // Null (no value) is never "not current": a row is pending only for a value it holds.
  const notCurrentHash = (column: string) => sql`not starts_with(${sql.raw(column)}, ${`${current}.`})`
  const notCurrentCiphertext = (column: string) => sql`not starts_with(${sql.raw(column)}, ${`v2.${current}.`})`

  const apiKeys = await rotateTable(
    'api_keys',
    sql`(${notCurrentHash('secret_hash')} or ${notCurrentCiphertext('secret_ciphertext')})`,
    sql`array[secret_ciphertext]`,
    ([ciphertext]) => {
      const secret = box.decrypt(ciphertext!)
      return [box.encrypt(secret), box.hash(secret)]
    },
    (id, [ciphertext], [newCiphertext, newHash]) =>
      sql`update api_keys set secret_ciphertext = ${newCiphertext}, secret_hash = ${newHash}
        where id = ${id} and secret_ciphertext = ${ciphertext}`,
  )

  const webhooks = await rotateTable(
    'webhooks',
    sql`(${notCurrentCiphertext('secret_ciphertext')} or ${notCurrentCiphertext('previous_secret_ciphertext')})`,
    sql`array[secret_ciphertext, previous_secret_ciphertext]`,
    (ciphertexts) => ciphertexts.map((ciphertext) => (ciphertext === null ? null : box.encrypt(box.decrypt(ciphertext)))),
    (id, [ciphertext, previous], [newCiphertext, newPrevious]) =>
      sql`update webhooks set secret_ciphertext = ${newCiphertext}, previous_secret_ciphertext = ${newPrevious}
        where id = ${id} and secret_ciphertext = ${ciphertext} and previous_secret_ciphertext is not distinct from ${previous}`,
  )

  // An old API secret whose grace period is over verifies nowhere: its hash goes, whatever key made it.
  await db.execute(
    sql`update api_keys set previous_secret_hash = null, previous_secret_valid_until = null
      where previous_secret_hash is not null and (previous_secret_valid_until is null or previous_secret_valid_until <= now())`,
  )
  const [previous] = (
    await db.execute<{ count: number; until: number | null }>(
      sql`select count(*)::int as count, (extract(epoch from max(previous_secret_valid_until)) * 1000)::float8 as until from api_keys
        where previous_secret_hash is not null and ${notCurrentHash('previous_secret_hash')}`,
    )
  ).rows as [{ count: number; until: number | null }]

  return {
    apiKeys,
    webhooks,
    unreadable,
    previousSecretsUnderOldKeys: { count: previous.count, until: previous.until === null ? null : new Date(previous.until) },
  }
}
