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
    const body = Buffer.from(parts[3]!, 'base64url')
    body[0] = body[0]! ^ 1
    parts[3] = body.toString('base64url')
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
