import { randomInt } from 'node:crypto'
import type { ResourcePrefix } from '@deskflow/shared'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** Uniformly random base62 text (randomInt rejects biased draws). */
export function randomBase62(length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += BASE62[randomInt(62)]
  return out
}

export function toBase62(value: number, width: number): string {
  let out = ''
  let n = value
  for (let i = 0; i < width; i++) {
    out = BASE62[n % 62] + out
    n = Math.floor(n / 62)
  }
  return out
}

export type IdPrefix = 'adm' | 'sto' | 'key' | 'aud' | 'wh' | 'ses'
/** Integrator resources' ids (their registry entries' prefixes), events, deliveries and messages. */
export type SortableIdPrefix = ResourcePrefix | 'evt' | 'whd' | 'msg'

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz'

/** Prefixed ids that say what they are, as Stripe's do: `key_…`, `adm_…`. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(20)}`
}

/**
 * Ids that sort in creation order (9 characters of milliseconds, then 12 random),
 * in lower-case base36 so every database collation orders them like bytes do.
 * Cursor pagination walks them with `id > cursor`.
 */
export function newSortableId(prefix: SortableIdPrefix, now = Date.now()): string {
  let random = ''
  for (let i = 0; i < 12; i++) random += BASE36[randomInt(36)]
  return `${prefix}_${sortableIdTime(now)}${random}`
}

/** The time part of a sortable id made at `now` (milliseconds since the epoch). */
export const sortableIdTime = (now: number): string => now.toString(36).padStart(9, '0')
