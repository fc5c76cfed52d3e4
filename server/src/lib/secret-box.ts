import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * Everything derived from SECRET_KEY, each purpose with its own subkey (HKDF), so the
 * hashing, encryption, session and cursor keys never coincide.
 *
 * A key ring: the current key makes everything new; the previous ones (SECRET_KEY_PREVIOUS)
 * still read what they made, until `secrets rotate` has made it again under the current key.
 * Each stored hash and ciphertext names the key that made it by a short id (8 characters
 * derived from the key, which tells nothing about it):
 *
 * - a hash is `<key id>.<HMAC-SHA256, base64url>`; one without an id was made before the ring
 *   existed, by some key of the ring;
 * - a ciphertext is `v2.<key id>.<iv>.<tag>.<body>`; a `v1.<iv>.<tag>.<body>` one was made
 *   before the ring existed and is opened by whichever key of the ring authenticates it.
 */
export interface SecretBox {
  /** The current key's id: what every value made now is marked with. */
  readonly keyId: string
  /** The keyed hash of an API secret under the current key, as stored. */
  hash(value: string): string
  /**
   * Every stored form `value`'s hash can have under the ring (with and without the key id):
   * a stored hash equal to one of them was made from `value`. The current key's come first.
   */
  hashCandidates(value: string): string[]
  hashEquals(value: string, storedHash: string): boolean
  encrypt(plaintext: string): string
  decrypt(ciphertext: string): string
  /** Whether a stored hash or ciphertext was made by the current key (nothing to rotate). */
  madeByCurrentKey(stored: string): boolean
  /** Signs admin sessions (the current key's) and checks them (the key their `kid` names). */
  readonly sessionKey: string
  sessionKeyOf(keyId: string | undefined): string | undefined
  /** Sign list cursors (see `lib/cursor.ts`): the current key's first. */
  readonly cursorKeys: readonly Buffer[]
}

function subkey(master: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, 'deskflow', purpose, 32))
}

interface RingKey {
  id: string
  hashKey: Buffer
  encryptionKey: Buffer
  sessionKey: string
  cursorKey: Buffer
}

function ringKey(master: string): RingKey {
  return {
    id: subkey(master, 'key-id').toString('base64url').slice(0, 8),
    hashKey: subkey(master, 'api-secret-hash'),
    encryptionKey: subkey(master, 'api-secret-encryption'),
    sessionKey: subkey(master, 'admin-session-jwt').toString('base64url'),
    cursorKey: subkey(master, 'list-cursor'),
  }
}

const hmac = (key: RingKey, value: string) => createHmac('sha256', key.hashKey).update(value).digest('base64url')

function open(key: RingKey, iv: string, tag: string, body: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key.encryptionKey, Buffer.from(iv, 'base64url'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
}

export function createSecretBox(currentKey: string, previousKeys: readonly string[] = []): SecretBox {
  const ring = [currentKey, ...previousKeys.filter((key) => key !== currentKey)].map(ringKey)
  const current = ring[0]!
  const byId = new Map(ring.map((key) => [key.id, key]))
  if (byId.size !== ring.length) throw new Error('Two keys of the ring share an id; use keys that differ')

  return {
    keyId: current.id,
    hash: (value) => `${current.id}.${hmac(current, value)}`,
    hashCandidates(value) {
      return ring.flatMap((key) => {
        const mac = hmac(key, value)
        return [`${key.id}.${mac}`, mac]
      })
    },
    hashEquals(value, storedHash) {
      const dot = storedHash.indexOf('.')
      const keys = dot === -1 ? ring : [byId.get(storedHash.slice(0, dot))].filter((key) => key !== undefined)
      const expected = Buffer.from(dot === -1 ? storedHash : storedHash.slice(dot + 1))
      let equal = false
      for (const key of keys) {
        const actual = Buffer.from(hmac(key, value))
        if (actual.length === expected.length && timingSafeEqual(actual, expected)) equal = true
      }
      return equal
    },
    encrypt(plaintext) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', current.encryptionKey, iv)
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return ['v2', current.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.')
    },
    decrypt(ciphertext) {
      const parts = ciphertext.split('.')
      if (parts[0] === 'v2' && parts.length === 5) {
        const key = byId.get(parts[1]!)
        if (!key) throw new Error(`Made by a key that is neither SECRET_KEY nor in SECRET_KEY_PREVIOUS (key id ${parts[1]})`)
        return open(key, parts[2]!, parts[3]!, parts[4]!)
      }
      if (parts[0] === 'v1' && parts.length === 4) {
        for (const key of ring) {
          try {
            return open(key, parts[1]!, parts[2]!, parts[3]!)
          } catch {
            // Not made by this key: the tag did not authenticate; try the next.
          }
        }
        throw new Error('Made by a key that is neither SECRET_KEY nor in SECRET_KEY_PREVIOUS')
      }
      throw new Error('Unknown ciphertext format')
    },
    madeByCurrentKey: (stored) => stored.startsWith(`${current.id}.`) || stored.startsWith(`v2.${current.id}.`),
    sessionKey: current.sessionKey,
    sessionKeyOf: (keyId) => (keyId === undefined ? current.sessionKey : byId.get(keyId)?.sessionKey),
    cursorKeys: ring.map((key) => key.cursorKey),
  }
}
