import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * Everything derived from SECRET_KEY, each purpose with its own subkey (HKDF),
 * so the hashing, encryption, session and cursor keys never coincide.
 */
export interface SecretBox {
  /** Keyed hash for verifying API secrets: a database leak alone cannot be brute-forced offline. */
  hash(value: string): string
  hashEquals(value: string, expectedHash: string): boolean
  encrypt(plaintext: string): string
  decrypt(ciphertext: string): string
  readonly sessionKey: string
  /** Signs list cursors, so a client cannot forge or move one (see `lib/cursor.ts`). */
  readonly cursorKey: Buffer
}

function subkey(master: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, 'deskflow', purpose, 32))
}

export function createSecretBox(masterKey: string): SecretBox {
  const hashKey = subkey(masterKey, 'api-secret-hash')
  const encryptionKey = subkey(masterKey, 'api-secret-encryption')
  const hash = (value: string) => createHmac('sha256', hashKey).update(value).digest('base64url')
  return {
    hash,
    hashEquals(value, expectedHash) {
      const actual = Buffer.from(hash(value))
      const expected = Buffer.from(expectedHash)
      return actual.length === expected.length && timingSafeEqual(actual, expected)
    },
    encrypt(plaintext) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv)
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.')
    },
    decrypt(ciphertext) {
      const [version, iv, tag, body] = ciphertext.split('.')
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unknown ciphertext format')
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, Buffer.from(iv, 'base64url'))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
    },
    sessionKey: subkey(masterKey, 'admin-session-jwt').toString('base64url'),
    cursorKey: subkey(masterKey, 'list-cursor'),
  }
}
