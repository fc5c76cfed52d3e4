import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config'

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
})
