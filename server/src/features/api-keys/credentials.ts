import { crc32 } from 'node:zlib'
import { API_KEY_PREFIX, API_SECRET_PREFIX } from '@deskflow/shared'
import { randomBase62, toBase62 } from '../../lib/ids'

const KEY_BODY = 24
// 43 base62 characters carry 256 bits: at least the 32 random bytes the design asks for.
const SECRET_BODY = 43
const CHECKSUM = 6

function withChecksum(prefix: string, body: string): string {
  return `${prefix}${body}${toBase62(crc32(`${prefix}${body}`), CHECKSUM)}`
}

/**
 * True when the text has the shape and checksum of a Deskflow credential.
 * Lets secret scanners (and our verifier) discard typos without a database round trip.
 */
export function hasValidChecksum(value: string, prefix: string, bodyLength: number): boolean {
  if (!value.startsWith(prefix) || value.length !== prefix.length + bodyLength + CHECKSUM) return false
  if (!/^[0-9A-Za-z]+$/.test(value.slice(prefix.length))) return false
  const body = value.slice(prefix.length, prefix.length + bodyLength)
  return withChecksum(prefix, body) === value
}

export const isWellFormedKey = (key: string) => hasValidChecksum(key, API_KEY_PREFIX, KEY_BODY)
export const isWellFormedSecret = (secret: string) => hasValidChecksum(secret, API_SECRET_PREFIX, SECRET_BODY)

export function generateKey(): string {
  return withChecksum(API_KEY_PREFIX, randomBase62(KEY_BODY))
}

export function generateSecret(): string {
  return withChecksum(API_SECRET_PREFIX, randomBase62(SECRET_BODY))
}
