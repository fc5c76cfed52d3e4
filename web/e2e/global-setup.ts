import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createWriteStream, existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
    adminEmail: string
    adminPassword: string
  }
}

const here = path.dirname(fileURLToPath(import.meta.url))
const entry = path.resolve(here, '../../server/dist/main.js')
const webDist = path.resolve(here, '../dist/index.html')
const resultsDir = path.resolve(here, '../test-results')
const READY_TIMEOUT_MS = 60_000

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

/** A fresh database on the DATABASE_URL server, so runs never see each other's keys. */
async function createDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `deskflow_e2e_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE "${name}"`)
  } finally {
    await admin.end()
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl })
      await client.connect()
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      } finally {
        await client.end()
      }
    },
  }
}

export default async function setup(project: TestProject) {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`pnpm --filter @deskflow/server build\` first`)
  if (!existsSync(webDist)) throw new Error(`${webDist} is missing: run \`pnpm --filter @deskflow/web build\` first`)

  const cleanups: Array<() => Promise<void>> = []
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch((err: unknown) => console.error('e2e teardown:', err))
  }

  const adminEmail = 'e2e-admin@example.com'
  const adminPassword = `e2e-${randomBytes(12).toString('base64url')}`
  const port = await freePort()
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOST: '127.0.0.1',
    PORT: String(port),
    ADMIN_EMAIL: adminEmail,
    ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: 'warn',
    // Every file signs in from fresh browser profiles, a dozen sign-ins within a minute from one
    // address and email; the limits themselves are tested by the server's tests.
    LOGIN_RATE_LIMIT: '60',
    // Usage counts reach the chart within a second, not the default five.
    USAGE_FLUSH_SECONDS: '1',
    // The webhook receiver of the browser test listens on 127.0.0.1 over plain http.
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_ALLOW_HTTP: 'true',
  }

  try {
    if (process.env.DATABASE_URL) {
      const database = await createDatabase(process.env.DATABASE_URL)
      cleanups.push(database.drop)
      env.DATABASE_URL = database.url
      env.SECRET_KEY = randomBytes(48).toString('base64')
    } else {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'deskflow-e2e-'))
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
      // mkdtemp makes the folder owner-only; as root the embedded database runs as another user.
      await chmod(dataDir, 0o755)
      env.DATA_DIR = dataDir
    }

    // The server's log is kept beside the screenshots: a 500 in the browser is explained there.
    await mkdir(resultsDir, { recursive: true })
    const log = createWriteStream(path.join(resultsDir, 'server.log'))
    cleanups.push(() => new Promise<void>((resolve) => log.end(resolve)))
    const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const record = (chunk: Buffer) => {
      output += chunk.toString()
      log.write(chunk)
    }
    child.stdout.on('data', record)
    child.stderr.on('data', record)
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    cleanups.push(async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timeout = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timeout)
    })

    const baseUrl = `http://127.0.0.1:${port}`
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => {
        clearInterval(poll)
        reject(new Error(`The server was not ready within ${READY_TIMEOUT_MS / 1000} s. Its output:\n${output}`))
      }, READY_TIMEOUT_MS)
      const poll = setInterval(() => {
        if (!output.includes('Deskflow is running at')) return
        clearInterval(poll)
        clearTimeout(deadline)
        resolve()
      }, 50)
      void exited.then((code) => {
        clearInterval(poll)
        clearTimeout(deadline)
        reject(new Error(`The server exited with code ${code} before it was ready. Its output:\n${output}`))
      })
    })
    const health = await fetch(`${baseUrl}/health/ready`)
    if (health.status !== 200) throw new Error(`GET /health/ready answered ${health.status}. Server output:\n${output}`)

    project.provide('baseUrl', baseUrl)
    project.provide('adminEmail', adminEmail)
    project.provide('adminPassword', adminPassword)
  } catch (err) {
    await cleanup()
    throw err
  }

  return cleanup
}
