import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll } from 'vitest'

const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/main.js')

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo
      s.close(() => resolve(port))
    })
  })
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy()
      resolve(true)
    })
    socket.on('error', () => resolve(false))
  })
}

/** Resolves once 127.0.0.1:`port` accepts connections; false if it still does not after `timeoutMs` or once `gaveUp()` says so. */
export async function waitForPort(port: number, timeoutMs: number, gaveUp: () => boolean = () => false): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!(await accepts(port))) {
    if (gaveUp() || Date.now() > deadline) return false
    await new Promise((r) => setTimeout(r, 50))
  }
  return true
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

export interface RunningServer extends ServerProcess {
  port: number
  /** http://127.0.0.1:port */
  base: string
}

export interface ServerProcesses {
  start(env: Record<string, string>): ServerProcess
  /** Starts one on a free PORT (or `env.PORT`) and resolves once it is ready. */
  serve(env: Record<string, string>): Promise<RunningServer>
}

/**
 * Starts server processes for one test file (or describe block); those still running
 * afterwards are sent `signal` and awaited.
 */
export function useServerProcesses(signal: NodeJS.Signals = 'SIGTERM'): ServerProcesses {
  const started: ServerProcess[] = []
  afterAll(async () => {
    for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal)
    await Promise.all(started.map((p) => p.exited))
  })
  const start = (env: Record<string, string>) => {
    const p = startServerProcess(env)
    started.push(p)
    return p
  }
  return {
    start,
    async serve(env) {
      const port = env.PORT ? Number(env.PORT) : await freePort()
      const server = start({ ...env, PORT: String(port) })
      await server.ready
      return { ...server, port, base: `http://127.0.0.1:${port}` }
    },
  }
}
