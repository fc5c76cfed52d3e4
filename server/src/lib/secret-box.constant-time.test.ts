import * as crypto from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'

// Watch the comparison the secret box makes, without changing what it does.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>()
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) }
})

const { createSecretBox } = await import('./secret-box')

describe('secret comparison', () => {
  it('goes through crypto.timingSafeEqual for matching and non-matching secrets of equal length', () => {
    const box = createSecretBox('c'.repeat(48))
    const spy = vi.mocked(crypto.timingSafeEqual)
    spy.mockClear()
    const hash = box.hash('dfs_right')
    expect(box.hashEquals('dfs_right', hash)).toBe(true)
    expect(box.hashEquals('dfs_wrong', hash)).toBe(false)
    // Both answers came from the constant-time comparison, not from an early exit.
    expect(spy).toHaveBeenCalledTimes(2)
  })
})
