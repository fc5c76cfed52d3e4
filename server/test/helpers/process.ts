import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/main.js')

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo
      s.close(() => resolve(port))
    })
  })
}

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams
  /** Resolves once the server prints that it is running; rejects if it exits first. */
  ready: Promise<void>
  exited: Promise<number | null>
  output(): string
}

/** The built entry point (`node server/dist/main.js`) as an operator runs it. */
export function startServerProcess(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, [entry], {
    env: { PATH: process.env.PATH!, LOG_LEVEL: 'info', ...env },
  }) as ChildProcessWithoutNullStreams
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (/Deskflow (is running at|delivery worker is running)/.test(output)) {
        clearInterval(timer)
        resolve()
      }
    }, 50)
    void exited.then(() => {
      clearInterval(timer)
      reject(new Error(`exited before ready:\n${output}`))
    })
  })
  // Awaited by the callers that expect a start; the others only await the exit.
  ready.catch(() => {})
  return { child, ready, exited, output: () => output }
}
