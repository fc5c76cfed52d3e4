import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from './logger'

describe('log redaction', () => {
  it('hides every kind of password field, at the top and one level down', () => {
    const stream = new PassThrough()
    let text = ''
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()))
    const logger = createLogger('info', stream)
    logger.info({ password: 'secret-one-aaaa', currentPassword: 'secret-two-bbbb', newPassword: 'secret-three-cccc' }, 'top')
    logger.info({ body: { password: 'secret-four-dddd', currentPassword: 'secret-five-eeee', newPassword: 'secret-six-ffff' } }, 'nested')
    expect(text).toContain('[redacted]')
    expect(text).not.toMatch(/secret-(one|two|three|four|five|six)/)
  })
})
