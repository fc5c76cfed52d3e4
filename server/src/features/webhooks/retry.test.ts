import { describe, expect, it } from 'vitest'
import { formatSpan, nextDelaySeconds } from './retry'

describe('retry schedule', () => {
  it('is at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then nothing', () => {
    const delays = Array.from({ length: 9 }, (_, made) => nextDelaySeconds(made, null))
    expect(delays).toEqual([0, 5, 300, 1800, 7200, 18000, 36000, 36000, null])
  })

  it('waits at least as long as Retry-After asks, up to a day', () => {
    expect(nextDelaySeconds(1, 120)).toBe(120)
    expect(nextDelaySeconds(2, 60)).toBe(300)
    expect(nextDelaySeconds(1, 10 * 86400)).toBe(86400)
    expect(nextDelaySeconds(8, 5)).toBeNull()
  })
})

describe('formatSpan', () => {
  it('says spans in the largest fitting unit', () => {
    expect(formatSpan(5 * 86_400_000)).toBe('5 days')
    expect(formatSpan(3_600_000)).toBe('1 hour')
    expect(formatSpan(90_000)).toBe('2 minutes')
    expect(formatSpan(3600)).toBe('4 seconds')
  })
})
