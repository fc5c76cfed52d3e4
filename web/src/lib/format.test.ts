import { describe, expect, it } from 'vitest'
import { formatRelativeTime, formatTimeOrDateTime, sentence } from './format'

describe('sentence', () => {
  it('makes a server fragment read like the app’s own messages', () => {
    expect(sentence('must not be blank')).toBe('Must not be blank.')
    expect(sentence('must use https (plain http is not allowed by this server)')).toBe(
      'Must use https (plain http is not allowed by this server).',
    )
    expect(sentence('Already a sentence.')).toBe('Already a sentence.')
    expect(sentence('  is it?  ')).toBe('Is it?')
    expect(sentence('')).toBe('')
  })
})

describe('times', () => {
  const now = new Date(2026, 11, 1, 9, 0).getTime()

  it('says "just now" in lower case, to sit inside a sentence', () => {
    expect(formatRelativeTime(new Date(now - 10_000).toISOString(), now)).toBe('just now')
    expect(formatRelativeTime(new Date(now - 5 * 60_000).toISOString(), now)).toBe('5 minutes ago')
  })

  it('gives a time today alone, a day this year without the year, anything else in full', () => {
    expect(formatTimeOrDateTime(new Date(2026, 11, 1, 14, 5).toISOString(), now)).toBe('2:05 PM')
    expect(formatTimeOrDateTime(new Date(2026, 11, 2, 6, 37).toISOString(), now)).toBe('Dec 2, 6:37 AM')
    expect(formatTimeOrDateTime(new Date(2027, 0, 2, 6, 37).toISOString(), now)).toMatch(/^Jan 2, 2027/)
  })
})
