import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFormerDataDir, useDataDirs } from './helpers/embedded'
import { freePort, useServerProcesses } from './helpers/process'
import { signIn } from './helpers/remote'

/**
 * The real entry point as an operator runs it: `node server/dist/main.js` with no
 * DATABASE_URL, so the embedded PostgreSQL starts with its data in DATA_DIR.
 */
const newDataDir = useDataDirs()
let dataDir: string

beforeAll(async () => {
  dataDir = await newDataDir('deskflow-start-')
})
const servers = useServerProcesses()
const start = (env: Record<string, string>) => servers.start({ DATA_DIR: dataDir, ...env })

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
    const admin = await signIn(base, { email: 'admin@example.com', password })
    const stores = (await (await admin.request('GET', '/stores')).json()) as { data: Array<{ key: string }> }
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
    await signIn(`http://127.0.0.1:${port}`, { email: 'admin@example.com', password })
    server.child.kill('SIGINT')
    expect(await server.exited).toBe(0)
  })

  it('starts on a DATA_DIR made by an earlier version, which it gives a generated database password', { timeout: 120_000 }, async () => {
    const former = await newDataDir('deskflow-start-former-')
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
  })

  it('refuses bad configuration with a message naming the variable, without starting', async () => {
    const server = start({ PORT: 'eighty', DATABASE_URL: 'postgres://127.0.0.1:1/x' })
    expect(await server.exited).toBe(1)
    expect(server.output()).toContain('PORT must be a whole number')
    expect(server.output()).toContain('SECRET_KEY is required when DATABASE_URL is set')
  })
})
