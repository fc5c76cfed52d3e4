import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const serverDir = fileURLToPath(new URL('../..', import.meta.url))

/**
 * A real process logging through createProcessLogger, its stdout a pipe as under docker:
 * `script` runs with `logger` in scope; resolves with what reached stdout once it ends.
 */
function runLogging(script: string, options = ''): Promise<{ lines: Array<Record<string, unknown>>; signal: string | null }> {
  const code = `import { createProcessLogger } from './src/lib/logger.ts'
const logger = createProcessLogger('info'${options ? `, ${options}` : ''})
${script}`
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: serverDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('error', reject)
    child.on('close', (_code, signal) => {
      if (err.trim()) return reject(new Error(err))
      const lines = out
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
      resolve({ lines, signal })
    })
  })
}

describe.each([
  ['in blocks of 4 KB (the default)', ''],
  ['line by line', '{ minLength: 0 }'],
])('the process log, %s', (_name, options) => {
  it('writes every line when the process exits right after logging them', async () => {
    const { lines } = await runLogging(`for (let i = 0; i < 2000; i++) logger.info({ i }, 'request')\nprocess.exit(0)`, options)
    expect(lines.map((l) => l.i)).toEqual(Array.from({ length: 2000 }, (_, i) => i))
  })

  it('has written an error, and every line before it, when the process is killed the moment after', async () => {
    const { lines, signal } = await runLogging(
      `for (let i = 0; i < 500; i++) logger.info({ i }, 'request')
// Through a child, as a request's logger (Fastify's request.log) writes it.
logger.child({ reqId: 'req_1' }).error({ err: new Error('the disk is full') }, 'could not save')
process.kill(process.pid, 'SIGKILL')`,
      options,
    )
    expect(signal).toBe('SIGKILL')
    const error = lines.find((l) => l.msg === 'could not save')
    expect(error).toMatchObject({ level: 50, reqId: 'req_1', err: { message: 'the disk is full' } })
    expect(lines.filter((l) => l.msg === 'request')).toHaveLength(500)
  })

  it('writes an info line within a second on a quiet server', async () => {
    const { lines } = await runLogging(
      `logger.info('ready')
setTimeout(() => process.kill(process.pid, 'SIGKILL'), 1500)`,
      options,
    )
    expect(lines.map((l) => l.msg)).toEqual(['ready'])
  })
})
