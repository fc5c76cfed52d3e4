import { describe, expect, it } from 'vitest'
import { ipAllowed, normalizeCidr } from './ip-allowlist'

describe('IP allowlist', () => {
  it('normalizes addresses and ranges, and rejects anything else', () => {
    expect(normalizeCidr('203.0.113.7')).toBe('203.0.113.7/32')
    expect(normalizeCidr(' 10.0.0.0/8 ')).toBe('10.0.0.0/8')
    expect(normalizeCidr('2001:db8::/32')).toBe('2001:db8::/32')
    expect(normalizeCidr('0:0:0:0:0:0:0:1')).toBe('::1/128')
    expect(normalizeCidr('10.0.0.0/33')).toBeNull()
    expect(normalizeCidr('example.com')).toBeNull()
    expect(normalizeCidr('')).toBeNull()
  })

  it('lets everyone in when empty', () => {
    expect(ipAllowed('198.51.100.1', [])).toBe(true)
  })

  it('matches IPv4, IPv6 and IPv4-mapped IPv6 clients against the ranges', () => {
    const list = ['203.0.113.0/24', '2001:db8::/32']
    expect(ipAllowed('203.0.113.200', list)).toBe(true)
    expect(ipAllowed('::ffff:203.0.113.9', list)).toBe(true)
    expect(ipAllowed('2001:db8::1', list)).toBe(true)
    expect(ipAllowed('203.0.114.1', list)).toBe(false)
    expect(ipAllowed('2001:db9::1', list)).toBe(false)
    expect(ipAllowed('not an ip', list)).toBe(false)
  })
})
