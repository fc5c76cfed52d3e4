import { describe, expect, it } from 'vitest'
import { and, count, eq, isNull } from 'drizzle-orm'
import pg from 'pg'
import type { AddedMember, ErrorResponse, LoginResponse, MeResponse, StoreList } from '@deskflow/shared'
import { bootstrap } from '../src/bootstrap'
import { adminSessions, admins, apiKeys, auditLog, storeMembers, webhooks } from '../src/db/schema'
import { hashPassword, verifyPassword } from '../src/features/auth/passwords'
import { createTestDatabase } from './helpers/db'
import { CSRF, TEST_PASSWORD, useHarness, type Answer } from './helpers/harness'

/**
 * An admin changes their own password: the current one first, a new one of at least 12
 * characters that differs from it; every other session of theirs is signed out, this one
 * stays; wrong guesses are rate-limited like sign-in; two changes at once never both apply.
 * A password generated for someone else (Settings → Team, the CLI) is one-time: until its
 * admin chose their own, every admin route but who they are, the change and sign-out is refused.
 */
const h = useHarness({ LOGIN_RATE_LIMIT: '5', LOGIN_RATE_LIMIT_PER_ADDRESS: '1000' })

const NEW_PASSWORD = 'a new password of my own'

interface Person {
  id: string
  email: string
  cookie: string
}

async function person(): Promise<Person> {
  const admin = await h.createAdmin()
  return { ...admin, cookie: await h.login(admin.email) }
}

const change = (cookie: string, body: unknown, headers: Record<string, string> = CSRF): Promise<Answer> =>
  h.anonymous('POST', '/auth/password', body, { headers: { cookie, ...headers } })
const me = (cookie: string) => h.anonymous('GET', '/auth/me', undefined, { headers: { cookie } })
const signIn = (email: string, password: string) => h.anonymous('POST', '/auth/login', { email, password })
const errorOf = (res: Answer) => res.json<ErrorResponse>().error

async function rowOf(adminId: string) {
  const [row] = await h.database.db.select().from(admins).where(eq(admins.id, adminId))
  return row!
}

async function liveSessions(adminId: string): Promise<number> {
  const [row] = await h.database.db
    .select({ n: count() })
    .from(adminSessions)
    .where(and(eq(adminSessions.adminId, adminId), isNull(adminSessions.revokedAt)))
  return row!.n
}

/** Everything about an admin a refused change must leave as it was. */
async function stateOf(adminId: string) {
  const row = await rowOf(adminId)
  return { passwordHash: row.passwordHash, passwordChangeRequired: row.passwordChangeRequired, live: await liveSessions(adminId) }
}

/** Until `n` sessions of the database wait for a lock (asked on a connection of its own). */
async function waitUntilWaiting(n: number) {
  for (let i = 0; i < 400; i++) {
    const { rows } = await h.database.pool.query<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
    )
    if (rows[0]!.n >= n) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`fewer than ${n} requests ever waited for the admin's row`)
}

/**
 * Runs `requests` while another connection holds the admin's row, until `n` of them wait for
 * it (each has checked its password by then); `meanwhile` runs on that connection before it
 * lets go.
 */
async function whileRowHeld<T>(adminId: string, n: number, requests: () => Promise<T>[], meanwhile?: (holder: pg.Client) => Promise<void>) {
  const holder = new pg.Client({ connectionString: h.database.url })
  await holder.connect()
  try {
    await holder.query('begin')
    await holder.query('select 1 from admins where id = $1 for update', [adminId])
    const answers = requests()
    await waitUntilWaiting(n)
    await meanwhile?.(holder)
    await holder.query('commit')
    return await Promise.all(answers)
  } finally {
    await holder.end()
  }
}

describe('changing one’s password', () => {
  it('replaces the hash (argon2id), keeps this session and signs out every other one of this admin only', async () => {
    const a = await person()
    const otherCookie = await h.login(a.email)
    const bearer = (await signIn(a.email, TEST_PASSWORD)).json<LoginResponse>().token
    const bystander = await person()
    const before = await rowOf(a.id)

    const res = await change(a.cookie, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })
    expect(res.statusCode, res.body).toBe(204)
    expect(res.body).toBe('')

    const after = await rowOf(a.id)
    expect(after.passwordHash).toMatch(/^\$argon2id\$/)
    expect(after.passwordHash).not.toBe(before.passwordHash)
    expect(after.passwordHash).not.toContain(NEW_PASSWORD)
    expect(await verifyPassword(after.passwordHash, NEW_PASSWORD)).toBe(true)

    expect((await me(a.cookie)).statusCode).toBe(200)
    expect((await me(otherCookie)).statusCode).toBe(401)
    expect((await h.anonymous('GET', '/auth/me', undefined, { headers: { authorization: `Bearer ${bearer}` } })).statusCode).toBe(401)
    expect(await liveSessions(a.id)).toBe(1)
    expect((await me(bystander.cookie)).statusCode).toBe(200)

    expect((await signIn(a.email, TEST_PASSWORD)).statusCode).toBe(401)
    const again = await signIn(a.email, NEW_PASSWORD)
    expect(again.statusCode).toBe(200)
    expect(again.json<LoginResponse>().passwordChangeRequired).toBe(false)
    expect(h.logs.join('')).not.toContain(NEW_PASSWORD)
  })

  it('accepts a new password of exactly 12 characters', async () => {
    const a = await person()
    const res = await change(a.cookie, { currentPassword: TEST_PASSWORD, newPassword: 'twelve chars' })
    expect(res.statusCode, res.body).toBe(204)
    expect((await signIn(a.email, 'twelve chars')).statusCode).toBe(200)
  })

  it('refuses a wrong current password with 403 naming currentPassword, and changes nothing', async () => {
    const a = await person()
    await h.login(a.email)
    const before = await stateOf(a.id)
    const res = await change(a.cookie, { currentPassword: 'not my password', newPassword: NEW_PASSWORD })
    expect(res.statusCode, res.body).toBe(403)
    expect(errorOf(res)).toMatchObject({
      code: 'invalid_password',
      message: 'Current password is incorrect',
      details: [{ field: 'currentPassword', message: 'Current password is incorrect' }],
    })
    expect(await stateOf(a.id)).toEqual(before)
    expect(before.live).toBe(2)
  })

  it.each([
    ['a new password of 11 characters', { currentPassword: TEST_PASSWORD, newPassword: 'eleven char' }, ['newPassword']],
    ['the current password again', { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }, ['newPassword']],
    ['a new password over 1024 characters', { currentPassword: TEST_PASSWORD, newPassword: 'x'.repeat(1025) }, ['newPassword']],
    ['a new password that is not text', { currentPassword: TEST_PASSWORD, newPassword: 123456789012345 }, ['newPassword']],
    ['no new password', { currentPassword: TEST_PASSWORD }, ['newPassword']],
    ['no current password', { newPassword: NEW_PASSWORD }, ['currentPassword']],
    ['an empty current password', { currentPassword: '', newPassword: NEW_PASSWORD }, ['currentPassword']],
    ['nothing', {}, ['currentPassword', 'newPassword']],
    ['a field it does not take', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, email: 'x@example.com' }, ['email']],
  ])('refuses %s with 422 naming the field, and changes nothing', async (_what, body, fields) => {
    const a = await person()
    await h.login(a.email)
    const before = await stateOf(a.id)
    const res = await change(a.cookie, body)
    expect(res.statusCode, res.body).toBe(422)
    const error = errorOf(res)
    expect(error.code).toBe('validation_failed')
    expect(error.details?.map((d) => d.field).sort()).toEqual(fields)
    expect(await stateOf(a.id)).toEqual(before)
  })

  it('needs a session (401) and, with the cookie, the CSRF header (403); nothing changes', async () => {
    const a = await person()
    const before = await stateOf(a.id)
    const body = { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }
    const anonymous = await h.anonymous('POST', '/auth/password', body, { headers: CSRF })
    expect(anonymous.statusCode).toBe(401)
    expect(anonymous.headers['www-authenticate']).toBeDefined()
    const forged = await change(a.cookie, body, {})
    expect(forged.statusCode).toBe(403)
    expect(errorOf(forged).code).toBe('forbidden')
    expect(await stateOf(a.id)).toEqual(before)
  })

  it('is rate-limited per admin like sign-in: 429 with Retry-After, even for the right password; other admins unaffected', async () => {
    const a = await person()
    const before = await stateOf(a.id)
    for (let i = 0; i < 5; i++)
      expect((await change(a.cookie, { currentPassword: `guess number ${i}`, newPassword: NEW_PASSWORD })).statusCode).toBe(403)
    const limited = await change(a.cookie, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })
    expect(limited.statusCode).toBe(429)
    expect(errorOf(limited).code).toBe('rate_limited')
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expect(await stateOf(a.id)).toEqual(before)
    // Counted per admin, not per address: another admin from the same address changes theirs.
    const b = await person()
    expect((await change(b.cookie, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })).statusCode).toBe(204)
  })

  it('two changes at once from two sessions: exactly one applies, the other is told its current password is outdated', async () => {
    for (let round = 0; round < 3; round++) {
      const a = await person()
      const second = await h.login(a.email)
      const passwords = [`first new password ${round}`, `second new password ${round}`]
      const answers = await whileRowHeld(a.id, 2, () => [
        change(a.cookie, { currentPassword: TEST_PASSWORD, newPassword: passwords[0] }),
        change(second, { currentPassword: TEST_PASSWORD, newPassword: passwords[1] }),
      ])
      const statuses = answers.map((r) => r.statusCode)
      expect([...statuses].sort(), answers.map((r) => r.body).join(' ')).toEqual([204, 403])
      const winner = statuses.indexOf(204)
      const loser = 1 - winner
      expect(errorOf(answers[loser]!)).toMatchObject({ code: 'invalid_password', details: [{ field: 'currentPassword' }] })

      const { passwordHash } = await rowOf(a.id)
      expect(await verifyPassword(passwordHash, passwords[winner]!)).toBe(true)
      expect(await verifyPassword(passwordHash, passwords[loser]!)).toBe(false)
      expect(await verifyPassword(passwordHash, TEST_PASSWORD)).toBe(false)
      // The winner's session stays; the loser's was one of the others, signed out.
      const cookies = [a.cookie, second]
      expect((await me(cookies[winner]!)).statusCode).toBe(200)
      expect((await me(cookies[loser]!)).statusCode).toBe(401)
    }
  })

  it('the same change sent twice at once from one session: one applies, and the session stays', async () => {
    const a = await person()
    const body = { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }
    const answers = await whileRowHeld(a.id, 2, () => [change(a.cookie, body), change(a.cookie, body)])
    expect(answers.map((r) => r.statusCode).sort()).toEqual([204, 403])
    expect(await verifyPassword((await rowOf(a.id)).passwordHash, NEW_PASSWORD)).toBe(true)
    expect((await me(a.cookie)).statusCode).toBe(200)
  })

  it('a sign-in with the old password that overlaps the change is refused: no session outlives it', async () => {
    const a = await person()
    const sessions = async () =>
      (await h.database.db.select({ n: count() }).from(adminSessions).where(eq(adminSessions.adminId, a.id)))[0]!.n
    const before = await sessions()
    const newHash = await hashPassword(NEW_PASSWORD)
    // The sign-in has checked the old password and waits for the row when the change commits.
    const [login] = await whileRowHeld(
      a.id,
      1,
      () => [signIn(a.email, TEST_PASSWORD)],
      async (holder) => {
        await holder.query('update admins set password_hash = $1 where id = $2', [newHash, a.id])
      },
    )
    expect(login!.statusCode, login!.body).toBe(401)
    expect(await sessions()).toBe(before)
    expect((await signIn(a.email, NEW_PASSWORD)).statusCode).toBe(200)
  })
})

describe('one-time passwords', () => {
  /** Every admin operation of the app's own document, with its path's parameters filled in. */
  async function adminOperations(): Promise<Array<{ method: string; url: string; operationId: string }>> {
    type Doc = { paths: Record<string, Record<string, { operationId: string; security?: Record<string, string[]>[] }>> }
    const doc = (await h.anonymous('GET', '/openapi.json')).json<Doc>()
    return Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, op]) => op.security?.some((s) => 'cookieAuth' in s))
        .map(([method, op]) => ({
          method: method.toUpperCase(),
          url: path.replace('{key}', h.storeKey).replace(/\{\w+\}/g, 'x_0000000000'),
          operationId: op.operationId,
        })),
    )
  }

  const OPEN = ['getMe', 'changePassword']

  async function storeState() {
    return Promise.all(
      [apiKeys, webhooks, auditLog, storeMembers].map(
        async (t) => (await h.database.db.select({ n: count() }).from(t).where(eq(t.storeId, h.storeId)))[0]!.n,
      ),
    )
  }

  it('a member created from Settings → Team must choose their own password before anything else', async () => {
    const added = (await h.admin('POST', '/members', { email: 'one-time@example.com', role: 'developer' })).json<AddedMember>()
    expect(added.password).toMatch(/^[0-9A-Za-z]{20}$/)
    expect((await rowOf(added.adminId)).passwordChangeRequired).toBe(true)

    const login = await signIn(added.email, added.password!)
    expect(login.statusCode).toBe(200)
    expect(login.json<LoginResponse>().passwordChangeRequired).toBe(true)
    const cookie = `df_session=${login.cookies.find((c) => c.name === 'df_session')!.value}`
    expect((await me(cookie)).json<MeResponse>()).toEqual({
      admin: { id: added.adminId, email: added.email },
      passwordChangeRequired: true,
    })

    const operations = await adminOperations()
    const refused = operations.filter((op) => !OPEN.includes(op.operationId))
    expect(refused.length).toBeGreaterThan(20)
    expect(operations.map((op) => op.operationId)).toEqual(expect.arrayContaining([...OPEN, 'listStores', 'createApiKey', 'addMember']))
    const before = await storeState()
    for (const { method, url, operationId } of refused) {
      const res = await h.anonymous(method as 'GET', url, method === 'GET' ? undefined : { password: added.password }, {
        headers: { cookie, ...CSRF },
      })
      expect(res.statusCode, `${operationId} ${method} ${url}: ${res.body}`).toBe(403)
      expect(errorOf(res), operationId).toMatchObject({
        code: 'password_change_required',
        message: expect.stringMatching(/^Choose a new password first/),
      })
    }
    expect(await storeState()).toEqual(before)

    const chosen = await change(cookie, { currentPassword: added.password, newPassword: NEW_PASSWORD })
    expect(chosen.statusCode, chosen.body).toBe(204)
    expect((await rowOf(added.adminId)).passwordChangeRequired).toBe(false)
    expect((await me(cookie)).json<MeResponse>().passwordChangeRequired).toBe(false)
    const stores = await h.anonymous('GET', '/stores', undefined, { headers: { cookie } })
    expect(stores.json<StoreList>().data).toEqual([{ key: h.storeKey, name: expect.any(String), role: 'developer' }])
    expect((await h.anonymous('GET', `/stores/${h.storeKey}/api-keys`, undefined, { headers: { cookie } })).statusCode).toBe(200)
    expect((await signIn(added.email, added.password!)).statusCode).toBe(401)
    expect((await signIn(added.email, NEW_PASSWORD)).json<LoginResponse>().passwordChangeRequired).toBe(false)
  })

  it('a wrong or too short choice keeps the restriction; signing out works meanwhile', async () => {
    const added = (await h.admin('POST', '/members', { email: 'still-one-time@example.com', role: 'viewer' })).json<AddedMember>()
    const login = await signIn(added.email, added.password!)
    const cookie = `df_session=${login.cookies.find((c) => c.name === 'df_session')!.value}`
    expect((await change(cookie, { currentPassword: 'not it at all', newPassword: NEW_PASSWORD })).statusCode).toBe(403)
    expect((await change(cookie, { currentPassword: added.password, newPassword: 'short' })).statusCode).toBe(422)
    expect((await change(cookie, { currentPassword: added.password, newPassword: added.password })).statusCode).toBe(422)
    expect((await rowOf(added.adminId)).passwordChangeRequired).toBe(true)
    expect(errorOf(await h.anonymous('GET', '/stores', undefined, { headers: { cookie } })).code).toBe('password_change_required')

    const out = await h.anonymous('POST', '/auth/logout', undefined, { headers: { cookie, ...CSRF } })
    expect(out.statusCode).toBe(204)
    expect((await me(cookie)).statusCode).toBe(401)
    expect(await liveSessions(added.adminId)).toBe(0)
  })

  it('an admin who already exists, added to a store, keeps their password and everything they may do', async () => {
    const existing = await person()
    const added = (await h.admin('POST', '/members', { email: existing.email, role: 'viewer' })).json<AddedMember>()
    expect(added.password).toBeNull()
    expect((await rowOf(existing.id)).passwordChangeRequired).toBe(false)
    expect((await h.anonymous('GET', '/stores', undefined, { headers: { cookie: existing.cookie } })).statusCode).toBe(200)
  })

  it('the first admin’s password generated at the very first start is not one-time: its operator chose to have it', async () => {
    for (const admin of [{}, { email: 'first@example.com', password: 'chosen at the first start' }]) {
      const database = await createTestDatabase()
      try {
        const result = await bootstrap(database.db, admin)
        expect(result.createdAdmin).toBeDefined()
        const [row] = await database.db.select().from(admins)
        expect(row!.passwordChangeRequired).toBe(false)
      } finally {
        await database.drop()
      }
    }
  })
})
