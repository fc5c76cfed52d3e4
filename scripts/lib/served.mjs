import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** A TCP port free on 127.0.0.1 at the time of asking. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/**
 * The built server (`server/dist/main.js`) on a free loopback port, with its embedded
 * PostgreSQL in a temporary DATA_DIR (which PostgreSQL, run as `postgres` when started as
 * root, must be able to enter), the demo store seeded, `extraEnv` on top. Resolves once it answers
 * `/health/ready`; `stop()` ends it and removes the folder.
 */
export async function startServed(extraEnv = {}) {
  if (!fs.existsSync(path.join(ROOT, 'server/dist/main.js'))) throw new Error('server/dist/main.js is missing: run `pnpm build` first')
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskflow-contract-'))
  fs.chmodSync(dataDir, 0o755)
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const env = { ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...extraEnv }
  delete env.DATABASE_URL
  delete env.REDIS_URL
  const child = spawn(process.execPath, ['server/dist/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (c) => (output += c))
  child.stderr.on('data', (c) => (output += c))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await Promise.race([exited, sleep(15_000)])
    }
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) break
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return { url, stop }
    } catch {
      // not listening yet
    }
    await sleep(250)
  }
  await stop()
  throw new Error(`the server did not become ready:\n${output}`)
}
