import { beforeAll, describe, expect, it } from 'vitest'
import { and, count, eq } from 'drizzle-orm'
import pg from 'pg'
import type { AddedMember, AuditList, LoginResponse, Member, MemberList, StoreList, StoreRole } from '@deskflow/shared'
import { admins, storeMembers } from '../src/db/schema'
import { CSRF, useHarness, type Answer, type Method } from './helpers/harness'

/**
 * The team of a store: every member reads it, owners add members (creating the admin with a
 * one-time password when needed), change roles and remove members, every change is audited,
 * and the store never loses its last owner, not even to two owners demoting each other at once.
 */
const h = useHarness()

const OWNERS_ONLY = 'Only owners of this store can add members, change their roles or remove them'

interface Person {
  id: string
  email: string
  cookie: string
}

/** An admin who is a member of the store (this file's unless another is given) with `role`, signed in. */
async function member(role: StoreRole, storeId = h.storeId): Promise<Person> {
  const admin = await h.createAdmin()
  await h.database.db.insert(storeMembers).values({ storeId, adminId: admin.id, role })
  return { ...admin, cookie: await h.login(admin.email) }
}

const as = (person: Person, method: Method, path: string, body?: object, storeKey = h.storeKey): Promise<Answer> =>
  h.signedIn(method, `/stores/${storeKey}${path}`, body, { headers: { cookie: person.cookie, ...CSRF } })

async function roleOf(adminId: string): Promise<string | undefined> {
  const [row] = await h.database.db
    .select({ role: storeMembers.role })
    .from(storeMembers)
    .where(and(eq(storeMembers.storeId, h.storeId), eq(storeMembers.adminId, adminId)))
  return row?.role
}

async function owners(storeId: string): Promise<number> {
  const [row] = await h.database.db
    .select({ n: count() })
    .from(storeMembers)
    .where(and(eq(storeMembers.storeId, storeId), eq(storeMembers.role, 'owner')))
  return row!.n
}

/** Admins and memberships, all stores: equal before and after means nothing changed. */
async function teamRows(): Promise<string> {
  const rows = await h.database.db.select().from(storeMembers)
  const [a] = await h.database.db.select({ n: count() }).from(admins)
  return JSON.stringify([a!.n, rows.map((r) => `${r.storeId}:${r.adminId}:${r.role}`).sort()])
}

async function auditOf(adminId: string) {
  return (await h.admin('GET', `/audit-log?targetId=${adminId}`)).json<AuditList>().data
}

let owner: Person

beforeAll(async () => {
  const [me] = await h.database.db.select().from(admins).where(eq(admins.email, h.email))
  owner = { id: me!.id, email: h.email, cookie: h.cookie }
})

describe('the member list', () => {
  it('lists every member with email, role and since when, for every role', async () => {
    const developer = await member('developer')
    const viewer = await member('viewer')
    for (const reader of [owner, developer, viewer]) {
      const res = await as(reader, 'GET', '/members')
      expect(res.statusCode, res.body).toBe(200)
      const { data } = res.json<MemberList>()
      expect(data[0]).toMatchObject({ adminId: owner.id, email: owner.email, role: 'owner' })
      expect(data).toContainEqual({ adminId: viewer.id, email: viewer.email, role: 'viewer', addedAt: expect.any(String) })
      expect(data.find((m) => m.adminId === developer.id)?.role).toBe('developer')
      for (const m of data) expect(Date.parse(m.addedAt)).toBeGreaterThan(Date.now() - 60_000)
      expect(res.body).not.toMatch(/password/i)
    }
  })

  it("does not list another store's members", async () => {
    const other = await h.newStore()
    const { data } = (await h.admin('GET', '/members')).json<MemberList>()
    expect(data.map((m) => m.email)).not.toContain(other.email)
  })
})

describe('adding a member', () => {
  it('adds an existing admin with a role, who then sees the store with it', async () => {
    const admin = await h.createAdmin()
    const res = await h.admin('POST', '/members', { email: admin.email.toUpperCase(), role: 'developer' })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json<AddedMember>()).toEqual({
      adminId: admin.id,
      email: admin.email,
      role: 'developer',
      addedAt: expect.any(String),
      password: null,
    })
    const stores = (await h.anonymous('GET', '/stores', undefined, { headers: { cookie: await h.login(admin.email) } })).json<StoreList>()
    expect(stores.data).toContainEqual({ key: h.storeKey, name: expect.any(String), role: 'developer' })
    const [entry] = await auditOf(admin.id)
    expect(entry).toMatchObject({
      action: 'member.added',
      targetType: 'member',
      targetLabel: admin.email,
      actor: { id: owner.id, email: owner.email },
      metadata: { email: admin.email, role: 'developer', newAdmin: false },
    })
  })

  it('creates a new admin with a one-time password, shown in this answer only and never logged', async () => {
    const res = await h.admin('POST', '/members', { email: 'New.Person@Example.com', role: 'viewer' })
    expect(res.statusCode, res.body).toBe(201)
    const added = res.json<AddedMember>()
    expect(added).toMatchObject({ email: 'new.person@example.com', role: 'viewer', adminId: expect.stringMatching(/^adm_/) })
    expect(added.password).toMatch(/^[0-9A-Za-z]{20}$/)

    const login = await h.anonymous('POST', '/auth/login', { email: 'new.person@example.com', password: added.password })
    expect(login.statusCode, login.body).toBe(200)
    expect(login.json<LoginResponse>().passwordChangeRequired).toBe(true)
    const authorization = `Bearer ${login.json<LoginResponse>().token}`
    // A one-time password: their own first (password-change.test.ts), then the store.
    expect((await h.anonymous('GET', '/stores', undefined, { headers: { authorization } })).statusCode).toBe(403)
    const chosen = { currentPassword: added.password, newPassword: 'my very own password' }
    expect((await h.anonymous('POST', '/auth/password', chosen, { headers: { authorization } })).statusCode).toBe(204)
    const stores = (await h.anonymous('GET', '/stores', undefined, { headers: { authorization } })).json<StoreList>()
    expect(stores.data).toEqual([{ key: h.storeKey, name: expect.any(String), role: 'viewer' }])

    // Only its hash is kept, and nothing else hands it out.
    const [row] = await h.database.db.select().from(admins).where(eq(admins.id, added.adminId))
    expect(row!.passwordHash).not.toContain(added.password!)
    expect((await h.admin('GET', '/members')).body).not.toContain(added.password!)
    expect(JSON.stringify(await auditOf(added.adminId))).not.toContain(added.password!)
    expect((await auditOf(added.adminId))[0]!.metadata).toEqual({ email: 'new.person@example.com', role: 'viewer', newAdmin: true })
    expect(h.logs.join('')).not.toContain(added.password!)
  })

  it('refuses someone already a member with 409 naming the email, and changes nothing', async () => {
    const developer = await member('developer')
    const before = await teamRows()
    const res = await h.admin('POST', '/members', { email: developer.email, role: 'owner' })
    expect(res.statusCode, res.body).toBe(409)
    expect(res.json<{ error: { code: string; message: string; details: unknown[] } }>().error).toMatchObject({
      code: 'conflict',
      message: `${developer.email} is already a member of this store`,
      details: [{ field: 'email', message: 'is already a member of this store' }],
    })
    expect(await roleOf(developer.id)).toBe('developer')
    expect(await teamRows()).toBe(before)
  })

  it.each([
    ['an unknown role', { email: 'someone@example.com', role: 'admin' }, 'role'],
    ['no role', { email: 'someone@example.com' }, 'role'],
    ['an email that is not one', { email: 'someone', role: 'viewer' }, 'email'],
    ['an email too long', { email: `${'a'.repeat(250)}@example.com`, role: 'viewer' }, 'email'],
    ['no email', { role: 'viewer' }, 'email'],
    ['a field it does not take', { email: 'someone@example.com', role: 'viewer', password: 'chosen by me' }, 'password'],
  ])('refuses %s with 422 naming the field, and creates nobody', async (_what, body, field) => {
    const before = await teamRows()
    const res = await h.admin('POST', '/members', body)
    expect(res.statusCode, res.body).toBe(422)
    const { error } = res.json<{ error: { code: string; details: { field: string }[] } }>()
    expect(error.code).toBe('validation_failed')
    expect(error.details.map((d) => d.field)).toContain(field)
    expect(await teamRows()).toBe(before)
  })
})

describe("changing a member's role", () => {
  it('changes it, takes effect on their next request, and records before and after', async () => {
    const person = await member('viewer')
    expect((await as(person, 'POST', '/api-keys', { description: 'not yet', permissions: [] })).statusCode).toBe(403)
    const res = await h.admin('PATCH', `/members/${person.id}`, { role: 'developer' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json<Member>()).toMatchObject({ adminId: person.id, email: person.email, role: 'developer' })
    expect(await roleOf(person.id)).toBe('developer')
    expect((await as(person, 'POST', '/api-keys', { description: 'now', permissions: [] })).statusCode).toBe(201)
    const [entry] = await auditOf(person.id)
    expect(entry).toMatchObject({
      action: 'member.role_changed',
      targetLabel: person.email,
      metadata: { email: person.email, before: { role: 'viewer' }, after: { role: 'developer' } },
    })
  })

  it('answers 404 for an admin who is not a member of this store, 422 naming the role for one that does not exist', async () => {
    const other = await h.newStore()
    const [stranger] = await h.database.db.select().from(admins).where(eq(admins.email, other.email))
    const before = await teamRows()
    expect((await h.admin('PATCH', `/members/${stranger!.id}`, { role: 'viewer' })).statusCode).toBe(404)
    expect((await h.admin('PATCH', '/members/adm_doesNotExist', { role: 'viewer' })).statusCode).toBe(404)
    const bad = await h.admin('PATCH', `/members/${owner.id}`, { role: 'superuser' })
    expect(bad.statusCode).toBe(422)
    expect(bad.json<{ error: { details: { field: string }[] } }>().error.details[0]!.field).toBe('role')
    // A malformed id is, as everywhere, something that does not exist.
    expect((await h.admin('PATCH', '/members/not-an-id', { role: 'viewer' })).statusCode).toBe(404)
    expect(await teamRows()).toBe(before)
  })
})

describe('removing a member', () => {
  it('removes them: the store is gone for them from their next request, and the removal is recorded', async () => {
    const person = await member('developer')
    expect((await as(person, 'GET', '/api-keys')).statusCode).toBe(200)
    const res = await h.admin('DELETE', `/members/${person.id}`)
    expect(res.statusCode, res.body).toBe(204)
    expect(await roleOf(person.id)).toBeUndefined()
    expect((await as(person, 'GET', '/api-keys')).statusCode).toBe(404)
    // Their account stays.
    expect(await h.database.db.select().from(admins).where(eq(admins.id, person.id))).toHaveLength(1)
    const [entry] = await auditOf(person.id)
    expect(entry).toMatchObject({
      action: 'member.removed',
      targetLabel: person.email,
      metadata: { email: person.email, role: 'developer' },
    })
    expect((await h.admin('DELETE', `/members/${person.id}`)).statusCode).toBe(404)
  })
})

describe('the last owner', () => {
  it('cannot be demoted or removed (409), by themselves or anyone', async () => {
    const other = await h.newStore()
    const [only] = await h.database.db.select().from(admins).where(eq(admins.email, other.email))
    for (const [method, body] of [
      ['PATCH', { role: 'developer' }],
      ['PATCH', { role: 'viewer' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await other.admin(method, `/members/${only!.id}`, body)
      expect(res.statusCode, res.body).toBe(409)
      expect(res.json<{ error: { message: string } }>().error.message).toMatch(
        new RegExp(`^${other.email} is the only owner of this store; make another member an owner before`),
      )
    }
    expect((await other.admin('GET', '/members')).json<MemberList>().data).toEqual([expect.objectContaining({ role: 'owner' })])
    // Staying an owner is no change at all.
    expect((await other.admin('PATCH', `/members/${only!.id}`, { role: 'owner' })).statusCode).toBe(200)
  })

  it('may step down once another member is an owner', async () => {
    const other = await h.newStore()
    const [first] = await h.database.db.select().from(admins).where(eq(admins.email, other.email))
    const second = await h.createAdmin()
    expect((await other.admin('POST', '/members', { email: second.email, role: 'owner' })).statusCode).toBe(201)
    expect((await other.admin('PATCH', `/members/${first!.id}`, { role: 'viewer' })).statusCode).toBe(200)
    // Now a viewer: no more team changes.
    const res = await other.admin('DELETE', `/members/${second.id}`)
    expect(res.statusCode).toBe(403)
    expect(res.json<{ error: { message: string } }>().error.message).toBe(OWNERS_ONLY)
  })
})

describe('two owners at the same time', () => {
  /** A store of its own with exactly two owners. */
  async function twoOwners() {
    const store = await h.createStore()
    const [a, b] = [await member('owner', store.id), await member('owner', store.id)]
    const on = (person: Person, method: Method, path: string, body?: object) => as(person, method, path, body, store.key)
    return { store, a, b, on }
  }

  /**
   * Both requests start while another connection holds the store's owner rows, so each is
   * inside its transaction before either can finish; then the rows are let go.
   */
  async function atOnce(storeId: string, requests: () => Promise<Answer>[]): Promise<Answer[]> {
    const holder = new pg.Client({ connectionString: h.database.url })
    await holder.connect()
    try {
      await holder.query('begin')
      await holder.query(`select 1 from store_members where store_id = $1 and role = 'owner' for update`, [storeId])
      const answers = requests()
      await waitUntilWaiting(2)
      await holder.query('commit')
      return await Promise.all(answers)
    } finally {
      await holder.end()
    }
  }

  /** Until `n` sessions wait for a lock (asked on a connection of its own: a transaction sees one snapshot of the activity). */
  async function waitUntilWaiting(n: number) {
    for (let i = 0; i < 400; i++) {
      const { rows } = await h.database.pool.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
      )
      if (rows[0]!.n >= n) return
      await new Promise((r) => setTimeout(r, 25))
    }
    throw new Error(`fewer than ${n} requests ever waited for the owners' rows`)
  }

  it('demoting each other: one succeeds, the other is no owner any more (403), and an owner remains', async () => {
    for (let round = 0; round < 3; round++) {
      const { store, a, b, on } = await twoOwners()
      const [ra, rb] = await atOnce(store.id, () => [
        on(a, 'PATCH', `/members/${b.id}`, { role: 'developer' }),
        on(b, 'PATCH', `/members/${a.id}`, { role: 'developer' }),
      ])
      expect([ra!.statusCode, rb!.statusCode].sort(), `${ra!.body} ${rb!.body}`).toEqual([200, 403])
      expect(await owners(store.id)).toBe(1)
    }
  })

  it('removing each other: one succeeds, and an owner remains', async () => {
    const { store, a, b, on } = await twoOwners()
    const [ra, rb] = await atOnce(store.id, () => [on(a, 'DELETE', `/members/${b.id}`), on(b, 'DELETE', `/members/${a.id}`)])
    expect([ra!.statusCode, rb!.statusCode].sort(), `${ra!.body} ${rb!.body}`).toEqual([204, 403])
    expect(await owners(store.id)).toBe(1)
  })

  it('both stepping down: the second is the only owner by then, refused with 409', async () => {
    const { store, a, b, on } = await twoOwners()
    const [ra, rb] = await atOnce(store.id, () => [
      on(a, 'PATCH', `/members/${a.id}`, { role: 'viewer' }),
      on(b, 'PATCH', `/members/${b.id}`, { role: 'viewer' }),
    ])
    expect([ra!.statusCode, rb!.statusCode].sort(), `${ra!.body} ${rb!.body}`).toEqual([200, 409])
    expect(await owners(store.id)).toBe(1)
  })
})

describe('who may change the team', () => {
  it.each(['developer', 'viewer'] as const)('a %s gets 403 on every change, whatever the body, and nothing changes', async (role) => {
    const person = await member(role)
    const target = await member('viewer')
    const before = await teamRows()
    for (const [method, path, body] of [
      ['POST', '/members', { email: 'planted@example.com', role: 'owner' }],
      ['POST', '/members', { nonsense: true }],
      ['PATCH', `/members/${target.id}`, { role: 'owner' }],
      ['PATCH', `/members/${person.id}`, { role: 'owner' }],
      ['DELETE', `/members/${target.id}`, undefined],
    ] as const) {
      const res = await as(person, method, path, body)
      expect(res.statusCode, `${method} ${path}`).toBe(403)
      expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'forbidden', message: OWNERS_ONLY })
    }
    expect(await teamRows()).toBe(before)
  })
})

describe('the audit log', () => {
  it('filters the team changes by kind of target and by action', async () => {
    const byType = (await h.admin('GET', '/audit-log?targetType=member&limit=100')).json<AuditList>().data
    expect(byType.length).toBeGreaterThan(3)
    expect(new Set(byType.map((e) => e.action))).toEqual(new Set(['member.added', 'member.role_changed', 'member.removed']))
    for (const e of byType) expect(e.targetLabel).toMatch(/@/)
    const removed = (await h.admin('GET', '/audit-log?action=member.removed&limit=100')).json<AuditList>().data
    expect(removed.length).toBeGreaterThan(0)
    expect(removed.every((e) => e.action === 'member.removed')).toBe(true)
  })
})
