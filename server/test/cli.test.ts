import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import type { LoginResponse, StoreList } from '@deskflow/shared'
import { useTestDatabase } from './helpers/db'
import { useServerProcesses } from './helpers/process'
import { ADMIN, serverEnv } from './helpers/remote'

/** The ops CLI (server/dist/cli.js) against a running server's database, as an operator uses it. */
const database = useTestDatabase()
const servers = useServerProcesses()
const cliPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/cli.js')
let env: Record<string, string>
let base = ''

beforeAll(async () => {
  env = serverEnv(database.url)
  base = (await servers.serve(env)).base
}, 60_000)

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { env: { PATH: process.env.PATH ?? '', ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as NodeJS.ErrnoException & { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

async function login(email: string, password: string): Promise<{ status: number; token?: string; passwordChangeRequired?: boolean }> {
  const res = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  return { status: res.status, ...(res.status === 200 && ((await res.json()) as LoginResponse)) }
}

/** Chooses the admin's own password in place of the printed one, as the web app asks at sign-in. */
async function choosePassword(token: string, currentPassword: string, newPassword: string): Promise<number> {
  const res = await fetch(`${base}/auth/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ currentPassword, newPassword }),
  })
  return res.status
}

const storesOf = async (token: string) =>
  fetch(`${base}/stores`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as StoreList,
  }))

const printedPassword = (stdout: string) => /(?:Password|New password for \S+): (\S+)/.exec(stdout)?.[1]

describe('the ops CLI', () => {
  it('resets a lost password: the old one and every open session stop working, the new one signs in', async () => {
    const before = await login(ADMIN.email, ADMIN.password)
    expect(before.status).toBe(200)
    const reset = await cli('admin', 'reset-password', ADMIN.email.toUpperCase())
    expect(reset.code, reset.stderr).toBe(0)
    expect(reset.stdout).toMatch(/Signed out of 1 session\./)
    expect(reset.stdout).toMatch(/at their next sign-in they must choose their own/)
    const password = printedPassword(reset.stdout)
    expect(password).toMatch(/^[0-9A-Za-z]{20}$/)
    expect((await login(ADMIN.email, ADMIN.password)).status).toBe(401)
    expect((await storesOf(before.token!)).status).toBe(401)
    // A one-time password: it signs in, and lets them do nothing but choose their own.
    const after = await login(ADMIN.email, password!)
    expect(after).toMatchObject({ status: 200, passwordChangeRequired: true })
    expect((await storesOf(after.token!)).status).toBe(403)
    expect(await choosePassword(after.token!, password!, ADMIN.password)).toBe(204)
    expect((await storesOf(after.token!)).body.data.map((s) => s.key)).toEqual(['demo'])
    expect(await login(ADMIN.email, ADMIN.password)).toMatchObject({ status: 200, passwordChangeRequired: false })
  })

  it('creates an admin and a store, and makes the admin a member with a role', async () => {
    const created = await cli('admin', 'create', 'ops@example.com')
    expect(created.code, created.stderr).toBe(0)
    expect(created.stdout).toMatch(/at their first sign-in they must choose their own/)
    const password = printedPassword(created.stdout)!
    const ops = await login('ops@example.com', password)
    expect(ops).toMatchObject({ status: 200, passwordChangeRequired: true })
    expect((await storesOf(ops.token!)).status).toBe(403)
    expect(await choosePassword(ops.token!, password, 'the ops password of my own')).toBe(204)
    expect((await storesOf(ops.token!)).body.data).toEqual([])

    expect((await cli('store', 'create', 'acme-shop', 'Acme', 'Shop')).code).toBe(0)
    const added = await cli('store', 'add-member', 'acme-shop', 'ops@example.com', 'developer')
    expect(added.code, added.stderr).toBe(0)
    expect((await storesOf(ops.token!)).body.data).toEqual([
      expect.objectContaining({ key: 'acme-shop', name: 'Acme Shop', role: 'developer' }),
    ])
    // Again with another role: changed, not added twice.
    expect((await cli('store', 'add-member', 'acme-shop', 'ops@example.com', 'owner')).code).toBe(0)
    expect((await storesOf(ops.token!)).body.data.map((s) => [s.key, s.role])).toEqual([['acme-shop', 'owner']])
  })

  it.each([
    [['admin', 'reset-password', 'nobody@example.com'], /No admin nobody@example\.com/],
    [['admin', 'reset-password', 'not-an-email'], /^EMAIL: /],
    [['admin', 'create', ADMIN.email], /already exists/],
    [['store', 'create', 'Bad Key', 'Name'], /^KEY: /],
    [['store', 'create', 'demo', 'Again'], /A store demo already exists/],
    [['store', 'create', 'no-name'], /^NAME: /],
    [['store', 'add-member', 'nowhere', ADMIN.email, 'owner'], /No store "nowhere"/],
    [['store', 'add-member', 'demo', ADMIN.email, 'superuser'], /^ROLE: one of owner, developer, viewer/],
  ])('refuses %j with a message naming what is wrong, exit code 1', async (args, message) => {
    const result = await cli(...args)
    expect(result.code).toBe(1)
    expect(result.stderr.trim()).toMatch(message)
    expect(result.stdout).toBe('')
  })

  it('prints its usage for help (exit 0) and for an unknown command (exit 2)', async () => {
    const help = await cli('help')
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('admin reset-password EMAIL')
    const unknown = await cli('admin', 'delete', 'x@example.com')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('Usage: node server/dist/cli.js')
  })
})
