import { createCipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createSecretBox } from './secret-box'

const box = createSecretBox('a'.repeat(48))

describe('secret box', () => {
  it('round-trips a secret through AES-256-GCM with a fresh IV each time', () => {
    const a = box.encrypt('dfs_example')
    const b = box.encrypt('dfs_example')
    expect(a).not.toBe(b)
    expect(a).not.toContain('dfs_example')
    expect(box.decrypt(a)).toBe('dfs_example')
  })

  it('refuses a tampered ciphertext', () => {
    const c = box.encrypt('dfs_example')
    const parts = c.split('.')
    const body = Buffer.from(parts[4]!, 'base64url')
    body[0] = body[0]! ^ 1
    parts[4] = body.toString('base64url')
    expect(() => box.decrypt(parts.join('.'))).toThrow()
  })

  it('cannot decrypt or match under another master key', () => {
    const other = createSecretBox('b'.repeat(48))
    expect(() => other.decrypt(box.encrypt('x'))).toThrow()
    expect(other.hashEquals('x', box.hash('x'))).toBe(false)
  })

  it('compares keyed hashes of the right value only', () => {
    const h = box.hash('dfs_one')
    expect(box.hashEquals('dfs_one', h)).toBe(true)
    expect(box.hashEquals('dfs_two', h)).toBe(false)
    expect(box.hashEquals('dfs_one', 'short')).toBe(false)
  })

  it('derives a session key distinct from the hashing key', () => {
    expect(box.sessionKey).not.toBe(box.hash(''))
    expect(box.sessionKey.length).toBeGreaterThanOrEqual(43)
  })
})

/** What the release before the key ring stored: `v1.<iv>.<tag>.<body>` and a bare HMAC. */
function legacy(master: string, secret: string) {
  const subkey = (purpose: string) => Buffer.from(hkdfSync('sha256', master, 'deskflow', purpose, 32))
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', subkey('api-secret-encryption'), iv)
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
  return {
    ciphertext: ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.'),
    hash: createHmac('sha256', subkey('api-secret-hash')).update(secret).digest('base64url'),
  }
}

describe('the key ring', () => {
  const oldKey = 'o'.repeat(48)
  const newKey = 'n'.repeat(48)
  const before = createSecretBox(oldKey)
  const ring = createSecretBox(newKey, [oldKey])

  it('marks what it makes with the current key, whose id tells nothing of the key', () => {
    expect(ring.keyId).toMatch(/^[A-Za-z0-9_-]{8}$/)
    expect(ring.keyId).not.toBe(before.keyId)
    expect(newKey).not.toContain(ring.keyId)
    expect(ring.hash('dfs_x')).toMatch(new RegExp(`^${ring.keyId}\\.[A-Za-z0-9_-]{43}$`))
    expect(ring.encrypt('dfs_x').startsWith(`v2.${ring.keyId}.`)).toBe(true)
    expect(ring.madeByCurrentKey(ring.hash('dfs_x'))).toBe(true)
    expect(ring.madeByCurrentKey(before.hash('dfs_x'))).toBe(false)
    expect(ring.madeByCurrentKey(ring.encrypt('dfs_x'))).toBe(true)
    expect(ring.madeByCurrentKey(before.encrypt('dfs_x'))).toBe(false)
  })

  it('reads what a previous key made, and what was stored before the ring existed', () => {
    expect(ring.decrypt(before.encrypt('dfs_old'))).toBe('dfs_old')
    const stored = legacy(oldKey, 'dfs_legacy')
    expect(ring.decrypt(stored.ciphertext)).toBe('dfs_legacy')
    expect(createSecretBox(oldKey).decrypt(stored.ciphertext)).toBe('dfs_legacy')
    // A stored hash, in any of its forms, is among the presented secret's candidates: the key check matches it.
    for (const hash of [before.hash('dfs_legacy'), stored.hash, ring.hash('dfs_legacy')]) {
      expect(ring.hashCandidates('dfs_legacy')).toContain(hash)
      expect(ring.hashEquals('dfs_legacy', hash)).toBe(true)
      expect(ring.hashCandidates('dfs_other')).not.toContain(hash)
      expect(ring.hashEquals('dfs_other', hash)).toBe(false)
    }
    expect(ring.hashCandidates('dfs_legacy')[0]).toBe(ring.hash('dfs_legacy'))
  })

  it('cannot read what a key outside the ring made, and says so without naming a key', () => {
    const stranger = createSecretBox('s'.repeat(48))
    expect(() => ring.decrypt(stranger.encrypt('x'))).toThrow(/neither SECRET_KEY nor in SECRET_KEY_PREVIOUS/)
    expect(() => ring.decrypt(legacy('s'.repeat(48), 'x').ciphertext)).toThrow(/neither SECRET_KEY nor in SECRET_KEY_PREVIOUS/)
    expect(ring.hashCandidates('x')).not.toContain(stranger.hash('x'))
    expect(ring.hashEquals('x', stranger.hash('x'))).toBe(false)
    // Once the old key leaves the ring, what it made is unreadable.
    expect(() => createSecretBox(newKey).decrypt(before.encrypt('x'))).toThrow()
  })

  it('checks a session under the key it names, a session without one under the current key', () => {
    expect(ring.sessionKeyOf(before.keyId)).toBe(before.sessionKey)
    expect(ring.sessionKeyOf(ring.keyId)).toBe(ring.sessionKey)
    expect(ring.sessionKeyOf(undefined)).toBe(ring.sessionKey)
    expect(ring.sessionKeyOf('unknown1')).toBeUndefined()
  })

  it('keeps one copy of a key listed twice', () => {
    const twice = createSecretBox(newKey, [newKey, oldKey])
    expect(twice.hashCandidates('x')).toEqual(ring.hashCandidates('x'))
  })
})
