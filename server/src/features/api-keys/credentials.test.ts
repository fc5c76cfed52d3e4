import { describe, expect, it } from 'vitest'
import { generateKey, generateSecret, isWellFormedKey, isWellFormedSecret } from './credentials'

describe('API credentials', () => {
  it('have the dfk_/dfs_ prefixes, base62 bodies and a valid checksum', () => {
    const key = generateKey()
    const secret = generateSecret()
    expect(key).toMatch(/^dfk_[0-9A-Za-z]{30}$/)
    expect(secret).toMatch(/^dfs_[0-9A-Za-z]{49}$/)
    expect(isWellFormedKey(key)).toBe(true)
    expect(isWellFormedSecret(secret)).toBe(true)
  })

  it('carry at least 256 bits of randomness in the secret', () => {
    // 43 base62 characters: 43 * log2(62) ≈ 256.03 bits.
    expect(43 * Math.log2(62)).toBeGreaterThanOrEqual(256)
    const bodies = new Set(Array.from({ length: 500 }, () => generateSecret().slice(4, 47)))
    expect(bodies.size).toBe(500)
  })

  it('reject a single changed character through the checksum', () => {
    const secret = generateSecret()
    const i = 10
    const typo = secret.slice(0, i) + (secret[i] === 'a' ? 'b' : 'a') + secret.slice(i + 1)
    expect(isWellFormedSecret(typo)).toBe(false)
  })

  it('reject the wrong prefix, length or alphabet', () => {
    const key = generateKey()
    expect(isWellFormedSecret(key)).toBe(false)
    expect(isWellFormedKey(key.slice(0, -1))).toBe(false)
    expect(isWellFormedKey(`${key.slice(0, 8)}-${key.slice(9)}`)).toBe(false)
    expect(isWellFormedKey('')).toBe(false)
  })
})
