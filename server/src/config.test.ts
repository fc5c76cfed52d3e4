import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, unsafeSettings } from './config'

describe('config', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ HOST: '127.0.0.1', PORT: 3000, DATA_DIR: './.data', WEBHOOK_ALLOW_PRIVATE_URLS: false })
    expect(config.DATABASE_URL).toBeUndefined()
  })

  it('parses numbers and booleans from text', () => {
    expect(loadConfig({ PORT: '8080', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' })).toMatchObject({ PORT: 8080, WEBHOOK_ALLOW_PRIVATE_URLS: true })
  })

  it('names every bad variable in one clear message', () => {
    let error: unknown
    try {
      loadConfig({ PORT: 'abc', WEBHOOK_ALLOW_PRIVATE_URLS: 'maybe', DATABASE_URL: 'postgres://x/y' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as Error).message
    expect(message).toContain('PORT must be a whole number')
    expect(message).toContain('WEBHOOK_ALLOW_PRIVATE_URLS must be true or false')
    expect(message).toContain('SECRET_KEY is required when DATABASE_URL is set')
  })

  it('rejects a short SECRET_KEY, an out-of-range port and a half-set admin', () => {
    expect(() => loadConfig({ SECRET_KEY: 'short' })).toThrow(/SECRET_KEY/)
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/)
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@example.com' })).toThrow(/ADMIN_EMAIL and ADMIN_PASSWORD/)
  })

  it('reads SECRET_KEY_PREVIOUS as a list separated by commas, and names it without its value when a key is short', () => {
    const a = 'a'.repeat(32)
    const b = 'b'.repeat(40)
    expect(loadConfig({ SECRET_KEY_PREVIOUS: ` ${a} , ${b},` }).SECRET_KEY_PREVIOUS).toEqual([a, b])
    expect(loadConfig({ SECRET_KEY_PREVIOUS: '' }).SECRET_KEY_PREVIOUS).toBeUndefined()
    let message = ''
    try {
      loadConfig({ SECRET_KEY_PREVIOUS: `${a},tooshortsecret` })
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError)
      message = (e as Error).message
    }
    expect(message).toContain('SECRET_KEY_PREVIOUS must list keys of at least 32 characters')
    expect(message).not.toContain('tooshortsecret')
    expect(message.match(/SECRET_KEY_PREVIOUS/g)).toHaveLength(1)
  })

  describe('TRUST_PROXY', () => {
    const trust = (value: string) => loadConfig({ TRUST_PROXY: value }).TRUST_PROXY
    const problem = (value: string) => {
      try {
        loadConfig({ TRUST_PROXY: value })
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError)
        return (e as Error).message
      }
      throw new Error(`TRUST_PROXY=${value} was accepted`)
    }

    it('is off by default and with false or 0', () => {
      expect(loadConfig({}).TRUST_PROXY).toBe(false)
      expect(trust('false')).toBe(false)
      expect(trust('FALSE')).toBe(false)
      expect(trust('0')).toBe(false)
    })

    it('reads a positive whole number as the number of proxies, 1 included', () => {
      expect(trust('1')).toBe(1)
      expect(trust(' 2 ')).toBe(2)
    })

    it('reads anything else as a comma-separated list of IPv4 and IPv6 addresses and ranges', () => {
      expect(trust('10.0.0.5')).toEqual(['10.0.0.5'])
      expect(trust('10.0.0.5, 192.168.10.0/24,2001:db8::/64 ,::1,')).toEqual(['10.0.0.5', '192.168.10.0/24', '2001:db8::/64', '::1'])
      expect(trust('loopback,uniquelocal')).toEqual(['loopback', 'uniquelocal'])
    })

    it('refuses true, explaining the choices', () => {
      const message = problem('true')
      expect(message).toContain('TRUST_PROXY=true is not accepted')
      expect(message).toContain('the number of proxies in front of the server')
      expect(message).toContain('CIDR ranges')
    })

    it('names each bad entry of a list', () => {
      const message = problem('10.0.0.5,10.0.0.300,nginx.internal,2001:db8::/129,10.0.0.0/x')
      expect(message).toMatch(/^Invalid configuration:\n {2}- TRUST_PROXY: /)
      expect(message).toContain('"10.0.0.300" is not an IP address')
      expect(message).toContain('"nginx.internal" is not an IP address')
      expect(message).toContain('"2001:db8::/129" has a bad prefix length (1 to 128)')
      expect(message).toContain('"10.0.0.0/x" has a bad prefix length (1 to 32)')
      expect(message).not.toContain('"10.0.0.5"')
      // Reported once, not again by the schema check.
      expect(message.match(/TRUST_PROXY/g)).toHaveLength(1)
    })

    it('refuses what would trust every address, shorthand IPv4, signs and fractions', () => {
      expect(problem('0.0.0.0/0')).toContain('"0.0.0.0/0" would trust every address')
      expect(problem('::/0')).toContain('"::/0" would trust every address')
      expect(problem('127.1')).toContain('"127.1" is not an IP address')
      expect(problem('-1')).toContain('"-1" is not an IP address')
      expect(problem('1.5')).toContain('"1.5" is not an IP address')
      expect(problem(',')).toContain('TRUST_PROXY "," names no proxy')
    })
  })

  it('warns about every setting that weakens webhook protections, and only those', () => {
    expect(unsafeSettings(loadConfig({}))).toEqual([])
    const both = unsafeSettings(loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_ALLOW_HTTP: 'true' }))
    expect(both).toHaveLength(2)
    expect(both[0]).toMatch(/^WEBHOOK_ALLOW_PRIVATE_URLS is on: .*local development only/i)
    expect(both[1]).toMatch(/^WEBHOOK_ALLOW_HTTP is on: .*plain http/)
  })
})
