import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, startServerProcess } from './helpers/process'

/**
 * The real entry point as an operator runs it: `node server/dist/main.js` with no
 * DATABASE_URL, so the embedded PostgreSQL starts with its data in DATA_DIR.
 */
let dataDir: string

const start = (env: Record<string, string>) => startServerProcess({ DATA_DIR: dataDir, ...env })

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'deskflow-start-'))
  await chmod(dataDir, 0o755)
})
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

describe('starting with no DATABASE_URL (embedded PostgreSQL)', () => {
  let password = ''
  let port = 0

  it('creates the first admin and store demo, prints the password once, and serves', async () => {
    port = await freePort()
    const server = start({ PORT: String(port) })
    await server.ready
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
  })

  it('keeps its data across a restart and does not print a password again', async () => {
    const server = start({ PORT: String(port) })
    await server.ready
    expect(server.output()).not.toContain('Password:')
    const login = await fetch(`http://127.0.0.1:${port}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password }),
    })
    expect(login.status).toBe(200)
    server.child.kill('SIGINT')
    expect(await server.exited).toBe(0)
  })

  it('refuses bad configuration with a message naming the variable, without starting', async () => {
    const server = start({ PORT: 'eighty', DATABASE_URL: 'postgres://127.0.0.1:1/x' })
    expect(await server.exited).toBe(1)
    expect(server.output()).toContain('PORT must be a whole number')
    expect(server.output()).toContain('SECRET_KEY is required when DATABASE_URL is set')
  })
})
