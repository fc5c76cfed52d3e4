import { createHmac, timingSafeEqual } from 'node:crypto'
import { AppError } from './errors'

const MAC_BYTES = 16
const ID = /^[a-z]+_[0-9A-Za-z]{1,64}$/
const BASE64URL = /^[A-Za-z0-9_-]+$/

/**
 * The one cursor format of every paginated list: the last id of a page and a MAC
 * (HMAC-SHA256 under a subkey of SECRET_KEY, cut to 128 bits) over that id and the
 * list it belongs to, base64url-encoded. Clients cannot forge, edit or move a cursor
 * to another list, store or webhook, and nothing but a verified id reaches a query.
 */
export interface Cursors {
  /** `list` names what the cursor pages through, such as `prod:<store id>`. */
  encode(list: string, id: string): string
  /** The id of a cursor this server issued for `list`; anything else is a 422 naming `field`. */
  decode(list: string, cursor: string, field?: string): string
}

export function createCursors(key: Buffer): Cursors {
  const mac = (list: string, id: string) => createHmac('sha256', key).update(`${list}\n${id}`).digest().subarray(0, MAC_BYTES)
  return {
    encode(list, id) {
      return Buffer.concat([Buffer.from(id, 'utf8'), mac(list, id)]).toString('base64url')
    },
    decode(list, cursor, field = 'cursor') {
      const refused = () => AppError.invalidField(field, 'is not a cursor this list returned (pass `nextCursor` back unchanged)')
      if (cursor.length > 200 || !BASE64URL.test(cursor)) throw refused()
      const bytes = Buffer.from(cursor, 'base64url')
      // Decoding ignores stray bits of the last character: only the exact text issued is accepted.
      if (bytes.length <= MAC_BYTES || bytes.toString('base64url') !== cursor) throw refused()
      const id = bytes.subarray(0, -MAC_BYTES).toString('utf8')
      if (!ID.test(id) || !timingSafeEqual(bytes.subarray(-MAC_BYTES), mac(list, id))) throw refused()
      return id
    },
  }
}
