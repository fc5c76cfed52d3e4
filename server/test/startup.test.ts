import { readFile, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFormerDataDir, tempDataDir } from './helpers/embedded'
import { freePort, startServerProcess } from './helpers/process'

/**
 * The real entry point as an operator runs it: `node server/dist/main.js` with no
 * DATABASE_URL, so the embedded PostgreSQL starts with its data in DATA_DIR.
 */
let dataDir: string

const start = (env: Record<string, string>) => startServerProcess({ DATA_DIR: dataDir, ...env })

beforeAll(async () => {
  dataDir = await tempDataDir('deskflow-start-')
})
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

const databasePassword = async (dir: string) => (await readFile(path.join(dir, 'postgres.password'), 'utf8')).trim()

describe('starting with no DATABASE_URL (embedded PostgreSQL)', () => {
  let password = ''
  let port = 0
  let dbPassword = ''

  it('creates the first admin and store demo, prints the password once, and serves', async () => {
    port = await freePort()
    // At debug level the embedded PostgreSQL's own output is logged too.
    const server = start({ PORT: String(port), LOG_LEVEL: 'debug' })
    await server.ready
    dbPassword = await databasePassword(dataDir)
    expect(dbPassword).toMatch(/^[0-9a-f]{64}$/)
    expect((await stat(path.join(dataDir, 'postgres.password'))).mode & 0o777).toBe(0o600)
    const match = /Password: (\S+)/.exec(server.output())
    expect(server.output()).toContain('First admin created: admin@example.com')
    expect(server.output()).toContain('Store "demo" is ready.')
    password = match![1]!
    const base = `http://127.0.0.1:${port}`
    expect((await fetch(`${base}/health/ready`)).status).toBe(200)
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password }),
    })
    expect(login.status).toBe(200)
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const stores = (await (await fetch(`${base}/stores`, { headers: { cookie } })).json()) as { data: Array<{ key: string }> }
    expect(stores.data.map((s) => s.key)).toEqual(['demo'])

    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(server.output()).toContain('shutting down')
    expect(server.output()).toContain('database system is ready to accept connections')
    expect(server.output()).not.toContain(dbPassword)
  })

  it('keeps its data and its database password across a restart and does not print a password again', async () => {
    const server = start({ PORT: String(port), LOG_LEVEL: 'debug' })
    await server.ready
    expect(server.output()).not.toContain('Password:')
    expect(await databasePassword(dataDir)).toBe(dbPassword)
    expect(server.output()).not.toContain(dbPassword)
    const login = await fetch(`http://127.0.0.1:${port}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password }),
    })
    expect(login.status).toBe(200)
    server.child.kill('SIGINT')
    expect(await server.exited).toBe(0)
  })

  it('starts on a DATA_DIR made by an earlier version, which it gives a generated database password', { timeout: 120_000 }, async () => {
    const former = await tempDataDir('deskflow-start-former-')
    try {
      await createFormerDataDir(former, async () => {})
      const formerPort = await freePort()
      const server = start({ DATA_DIR: former, PORT: String(formerPort), LOG_LEVEL: 'debug' })
      await server.ready
      expect((await fetch(`http://127.0.0.1:${formerPort}/health/ready`)).status).toBe(200)
      const generated = await databasePassword(former)
      expect(generated).toMatch(/^[0-9a-f]{64}$/)
      server.child.kill('SIGTERM')
      expect(await server.exited).toBe(0)
      expect(server.output()).not.toContain(generated)
    } finally {
      await rm(former, { recursive: true, force: true })
    }
  })

  it('refuses bad configuration with a message naming the variable, without starting', async () => {
    const server = start({ PORT: 'eighty', DATABASE_URL: 'postgres://127.0.0.1:1/x' })
    expect(await server.exited).toBe(1)
    expect(server.output()).toContain('PORT must be a whole number')
    expect(server.output()).toContain('SECRET_KEY is required when DATABASE_URL is set')
  })
})
