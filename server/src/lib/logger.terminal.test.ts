import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createTerminalLogger } from './logger'

function capture() {
  const stream = new PassThrough()
  let text = ''
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()))
  return { stream, text: () => text }
}

describe('logs at a terminal', () => {
  it('are readable lines, not JSON, and still redacted', () => {
    const out = capture()
    const logger = createTerminalLogger('info', out.stream)
    logger.info({ reqId: 'req_1', status: 200 }, 'request')
    logger.warn({ password: 'hunter2-very-secret' }, 'sign-in refused')
    logger.debug('not at info')
    const lines = out.text().trim().split('\n')
    expect(lines[0]).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: request$/)
    expect(() => JSON.parse(lines[0]!)).toThrow()
    expect(out.text()).toContain('WARN: sign-in refused')
    expect(out.text()).toContain('[redacted]')
    expect(out.text()).not.toContain('hunter2-very-secret')
    expect(out.text()).not.toContain('not at info')
  })
})
