import { createHmac, timingSafeEqual } from 'node:crypto'
import { AppError } from './errors'

const MAC_BYTES = 16
const ID = /^[a-z]+_[0-9A-Za-z]{1,64}$/
const BASE64URL = /^[A-Za-z0-9_-]+$/

/**
 * The one cursor format of every paginated list: the last id of a page and a MAC
 * (HMAC-SHA256 under a subkey of SECRET_KEY, cut to 128 bits) over that id and the
 * list it belongs to, base64url-encoded. Clients cannot forge, edit or move a cursor
 * to another list, store or webhook. Nothing but a verified id reaches a query, except in
 * a read that learns its store from the same statement as its rows (`peek`): there only a
 * well-formed id is bound, and the page is answered only once its MAC verifies.
 */
export interface Cursors {
  /** `list` names what the cursor pages through, such as `prod:<store id>`. */
  encode(list: string, id: string): string
  /** The id of a cursor this server issued for `list`; anything else is a 422 naming `field`. */
  decode(list: string, cursor: string, field?: string): string
  /** The id of a well-formed cursor, its MAC not yet checked, or null; `decode` must follow before answering. */
  peek(cursor: string): string | null
}

/** `keys`: the key ring's cursor keys, the current one first; cursors made under a previous key still page on. */
export function createCursors(keys: readonly Buffer[]): Cursors {
  const macUnder = (key: Buffer, list: string, id: string) =>
    createHmac('sha256', key).update(`${list}\n${id}`).digest().subarray(0, MAC_BYTES)
  const mac = (list: string, id: string) => macUnder(keys[0]!, list, id)
  /** The id and MAC of a cursor as issued, or null for anything else. */
  const parse = (cursor: string) => {
    if (cursor.length > 200 || !BASE64URL.test(cursor)) return null
    const bytes = Buffer.from(cursor, 'base64url')
    // Decoding ignores stray bits of the last character: only the exact text issued is accepted.
    if (bytes.length <= MAC_BYTES || bytes.toString('base64url') !== cursor) return null
    const id = bytes.subarray(0, -MAC_BYTES).toString('utf8')
    return ID.test(id) ? { id, tag: bytes.subarray(-MAC_BYTES) } : null
  }
  return {
    encode(list, id) {
      return Buffer.concat([Buffer.from(id, 'utf8'), mac(list, id)]).toString('base64url')
    },
    decode(list, cursor, field = 'cursor') {
      const refused = () => AppError.invalidField(field, 'is not a cursor this list returned (pass `nextCursor` back unchanged)')
      const parsed = parse(cursor)
      if (!parsed || !keys.some((key) => timingSafeEqual(parsed.tag, macUnder(key, list, parsed.id)))) throw refused()
      return parsed.id
    },
    peek(cursor) {
      return parse(cursor)?.id ?? null
    },
  }
}
