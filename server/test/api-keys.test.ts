import { describe, expect, it, beforeAll } from 'vitest'
import { and, count, eq } from 'drizzle-orm'
import type { ApiKey, ApiKeyList, CreatedApiKey, ErrorResponse } from '@deskflow/shared'
import { apiKeys, auditLog } from '../src/db/schema'
import { useHarness, TEST_PASSWORD, CSRF, type StoreFixture } from './helpers/harness'

const h = useHarness()
let other: StoreFixture

beforeAll(async () => {
  other = await h.newStore()
})

async function create(body: Record<string, unknown> = { description: 'Mobile App Integration', permissions: ['read_orders'] }) {
  const res = await h.admin('POST', '/api-keys', body)
  expect(res.statusCode).toBe(201)
  return res.json<CreatedApiKey>()
}

async function storedKeyCount() {
  const [row] = await h.database.db.select({ n: count() }).from(apiKeys).where(eq(apiKeys.storeId, h.storeId))
  return row!.n
}

type AdminCall = ['GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown?]

/** Every route of a store's API keys, for one key. */
function keyRoutes(storeKey: string, keyId: string): AdminCall[] {
  const keys = `/stores/${storeKey}/api-keys`
  return [
    ['GET', keys],
    ['POST', keys, { description: 'x' }],
    ['GET', `${keys}/${keyId}`],
    ['PATCH', `${keys}/${keyId}`, { activated: false }],
    ['DELETE', `${keys}/${keyId}`],
    ['POST', `${keys}/${keyId}/reveal`, { password: TEST_PASSWORD }],
    ['POST', `${keys}/${keyId}/regenerate-secret`, {}],
    ['GET', `/stores/${storeKey}/audit-log`],
  ]
}

describe('creating a key', () => {
  it('answers 201 with the generated key and secret, and stores only a hash and ciphertext', async () => {
    const res = await h.admin('POST', '/api-keys', {
      description: '  Mobile App Integration  ',
      permissions: ['write_orders', 'read_orders', 'read_orders'],
    })
    expect(res.statusCode).toBe(201)
    const body = res.json<CreatedApiKey>()
    expect(Object.keys(body).sort()).toEqual([
      'activated',
      'allowedIps',
      'description',
      'expiresAt',
      'id',
      'key',
      'permissions',
      'rateLimitPerMinute',
      'secret',
    ])
    expect(body).toMatchObject({ expiresAt: null, allowedIps: [], rateLimitPerMinute: 600 })
    expect(body).toMatchObject({ description: 'Mobile App Integration', activated: true, permissions: ['read_orders', 'write_orders'] })
    expect(body.id).toMatch(/^key_/)
    expect(body.key).toMatch(/^dfk_/)
    expect(body.secret).toMatch(/^dfs_/)

    const [row] = await h.database.db.select().from(apiKeys).where(eq(apiKeys.id, body.id))
    expect(JSON.stringify(row)).not.toContain(body.secret)
    expect(row!.secretLast4).toBe(body.secret.slice(-4))
    expect(h.box.decrypt(row!.secretCiphertext)).toBe(body.secret)
  })

  it('defaults to no permissions and activated', async () => {
    const body = await create({ description: 'Defaults' })
    expect(body.permissions).toEqual([])
    expect(body.activated).toBe(true)
  })

  it('writes the creation to the audit log', async () => {
    const body = await create()
    const entries = await h.database.db.select().from(auditLog).where(eq(auditLog.targetId, body.id))
    expect(entries.map((e) => e.action)).toEqual(['api_key.created'])
    expect(JSON.stringify(entries)).not.toContain(body.secret)
  })

  const invalid: Array<[string, unknown, string]> = [
    ['missing description', { permissions: [] }, 'description'],
    ['empty description', { description: '' }, 'description'],
    ['blank description', { description: '    ' }, 'description'],
    ['description over 255', { description: 'x'.repeat(256) }, 'description'],
    ['description not text', { description: 42 }, 'description'],
    ['unknown permission', { description: 'ok', permissions: ['read_orders', 'delete_everything'] }, 'permissions.1'],
    ['permissions not a list', { description: 'ok', permissions: 'read_orders' }, 'permissions'],
    ['activated not a boolean', { description: 'ok', activated: 'perhaps' }, 'activated'],
    ['an unknown field', { description: 'ok', key: 'dfk_mine' }, 'key'],
    ['an expiry in the past', { description: 'ok', expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
    ['an expiry that is not a date', { description: 'ok', expiresAt: 'tomorrow' }, 'expiresAt'],
    ['a bad IP range', { description: 'ok', allowedIps: ['10.0.0.0/8', '10.0.0.0/40'] }, 'allowedIps.1'],
    ['a rate limit of zero', { description: 'ok', rateLimitPerMinute: 0 }, 'rateLimitPerMinute'],
  ]
  it.each(invalid)('rejects %s with 422 naming the field, storing nothing', async (_name, body, field) => {
    const before = await storedKeyCount()
    const res = await h.admin('POST', '/api-keys', body)
    expect(res.statusCode).toBe(422)
    const error = res.json<ErrorResponse>().error
    expect(error.code).toBe('validation_failed')
    expect(error.details?.map((d) => d.field)).toContain(field)
    expect(error.message).toContain(field)
    expect(error.requestId).toMatch(/^req_/)
    expect(await storedKeyCount()).toBe(before)
  })

  it('stores an expiry, normalized IP ranges and a rate limit', async () => {
    const expiresAt = new Date(Date.now() + 86400_000).toISOString()
    const body = await create({ description: 'Limited', expiresAt, allowedIps: ['203.0.113.7', '2001:db8::/32'], rateLimitPerMinute: 30 })
    expect(body).toMatchObject({ expiresAt, allowedIps: ['203.0.113.7/32', '2001:db8::/32'], rateLimitPerMinute: 30 })
    const cleared = await h.admin('PATCH', `/api-keys/${body.id}`, { expiresAt: null, allowedIps: [] })
    expect(cleared.json<ApiKey>()).toMatchObject({ expiresAt: null, allowedIps: [], rateLimitPerMinute: 30 })
  })

  it('accepts a description of exactly 255 characters', async () => {
    const body = await create({ description: 'y'.repeat(255) })
    expect(body.description).toHaveLength(255)
  })

  it('answers 400 for a body that is not JSON, storing nothing', async () => {
    const before = await storedKeyCount()
    const res = await h.admin('POST', '/api-keys', '{"description":', { headers: { 'content-type': 'application/json' } })
    expect(res.statusCode).toBe(400)
    expect(res.json<ErrorResponse>().error.code).toBe('bad_request')
    expect(await storedKeyCount()).toBe(before)
  })
})

describe('listing and reading keys', () => {
  it('never contains a full secret; shows the last four characters', async () => {
    const created = await create({ description: 'Listed' })
    const res = await h.admin('GET', '/api-keys')
    expect(res.statusCode).toBe(200)
    expect(res.body).not.toContain(created.secret)
    expect(res.body).not.toMatch(/secretHash|secretCiphertext|secret_hash/)
    const item = res.json<ApiKeyList>().data.find((k) => k.id === created.id)!
    expect(item).toMatchObject({ key: created.key, secretLast4: created.secret.slice(-4), lastUsedAt: null, previousSecretExpiresAt: null })
    expect(item).not.toHaveProperty('secret')

    const one = await h.admin('GET', `/api-keys/${created.id}`)
    expect(one.statusCode).toBe(200)
    expect(one.body).not.toContain(created.secret)
    expect(one.json<ApiKey>().id).toBe(created.id)
  })

  it('pages newest first, 50 by default, with a cursor bound to the store, and searches by description or key prefix', async () => {
    const store = await h.newStore()
    // The store's own integrator key is the oldest; 120 more, created in order.
    const made: CreatedApiKey[] = []
    for (let i = 0; i < 120; i++) {
      const res = await store.admin('POST', '/api-keys', { description: `Paged ${String(i).padStart(3, '0')} 100%_match`, permissions: [] })
      made.push(res.json<CreatedApiKey>())
    }
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const res = await store.admin('GET', `/api-keys${cursor ? `?cursor=${cursor}` : ''}`)
      expect(res.statusCode, res.body).toBe(200)
      const page = res.json<ApiKeyList>()
      expect(page.data.length).toBeLessThanOrEqual(50)
      seen.push(...page.data.map((k) => k.id))
      cursor = page.nextCursor
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(seen).toEqual([...made.map((k) => k.id).reverse(), store.integratorKey.id])

    const small = (await store.admin('GET', '/api-keys?limit=7')).json<ApiKeyList>()
    expect(small.data.map((k) => k.description)).toEqual(
      made
        .slice(-7)
        .reverse()
        .map((k) => k.description),
    )
    // A cursor of one store's list means nothing in another's.
    const foreign = await h.admin('GET', `/api-keys?cursor=${small.nextCursor}`)
    expect(foreign.statusCode).toBe(422)
    expect(foreign.json<ErrorResponse>().error.details?.[0]?.field).toBe('cursor')

    const byText = (await store.admin('GET', `/api-keys?search=${encodeURIComponent('paged 01')}&limit=100`)).json<ApiKeyList>()
    expect(byText.data.map((k) => k.description)).toEqual(
      made
        .slice(10, 20)
        .reverse()
        .map((k) => k.description),
    )
    const byKey = (await store.admin('GET', `/api-keys?search=${made[42]!.key.slice(0, 12)}`)).json<ApiKeyList>()
    expect(byKey.data.map((k) => k.id)).toEqual([made[42]!.id])
    // % and _ are the text they are, not patterns.
    expect((await store.admin('GET', `/api-keys?search=${encodeURIComponent('100%_MATCH')}&limit=5`)).json<ApiKeyList>().data).toHaveLength(
      5,
    )
    expect((await store.admin('GET', `/api-keys?search=${encodeURIComponent('0_%m')}`)).json<ApiKeyList>().data).toHaveLength(0)

    // The key a cursor continues after is deleted: a 422 saying to start again, never a silent end.
    const first = (await store.admin('GET', '/api-keys?limit=1')).json<ApiKeyList>()
    expect((await store.admin('DELETE', `/api-keys/${first.data[0]!.id}`)).statusCode).toBe(204)
    const stale = await store.admin('GET', `/api-keys?cursor=${first.nextCursor}`)
    expect(stale.statusCode).toBe(422)
    expect(stale.json<ErrorResponse>().error.message).toMatch(/deleted/)

    for (const bad of ['limit=0', 'limit=101', 'cursor=forged', `search=${'x'.repeat(256)}`]) {
      const res = await store.admin('GET', `/api-keys?${bad}`)
      expect(res.statusCode, bad).toBe(422)
    }
  })

  it('answers 404 for an unknown or malformed id', async () => {
    expect((await h.admin('GET', '/api-keys/key_doesnotexist')).statusCode).toBe(404)
    expect((await h.admin('GET', '/api-keys/not-an-id')).statusCode).toBe(404)
  })
})

describe('editing keys', () => {
  it('updates description, permissions and activation, and audits before and after', async () => {
    const k = await create()
    const res = await h.admin('PATCH', `/api-keys/${k.id}`, {
      description: ' Renamed ',
      permissions: ['read_products', 'write_products'],
      activated: false,
    })
    expect(res.statusCode).toBe(200)
    expect(res.json<ApiKey>()).toMatchObject({ description: 'Renamed', permissions: ['read_products', 'write_products'], activated: false })
    const [entry] = await h.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'api_key.updated'), eq(auditLog.targetId, k.id)))
    expect(entry!.metadata).toMatchObject({ before: { description: 'Mobile App Integration' }, after: { description: 'Renamed' } })
  })

  it('rejects an empty change and a bad field without changing anything', async () => {
    const k = await create()
    const empty = await h.admin('PATCH', `/api-keys/${k.id}`, {})
    expect(empty.statusCode).toBe(422)
    const bad = await h.admin('PATCH', `/api-keys/${k.id}`, { description: 'fine', permissions: ['root'] })
    expect(bad.statusCode).toBe(422)
    expect(bad.json<ErrorResponse>().error.details?.[0]?.field).toBe('permissions.0')
    const after = (await h.admin('GET', `/api-keys/${k.id}`)).json<ApiKey>()
    expect(after.description).toBe('Mobile App Integration')
    expect(after.permissions).toEqual(['read_orders'])
  })
})

describe('revealing the secret', () => {
  it('asks for the password again: a wrong one is refused at the password field', async () => {
    const k = await create()
    const res = await h.admin('POST', `/api-keys/${k.id}/reveal`, { password: 'wrong password' })
    expect(res.statusCode).toBe(403)
    const error = res.json<ErrorResponse>().error
    expect(error.code).toBe('invalid_password')
    expect(error.details).toEqual([{ field: 'password', message: 'Password is incorrect' }])
    expect(res.body).not.toContain(k.secret)
  })

  it('shows the secret with the right password and writes it to the audit log', async () => {
    const k = await create()
    const res = await h.admin('POST', `/api-keys/${k.id}/reveal`, { password: TEST_PASSWORD })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ id: k.id, secret: k.secret })
    const entries = await h.database.db.select().from(auditLog).where(eq(auditLog.targetId, k.id))
    expect(entries.map((e) => e.action)).toContain('api_key.secret_revealed')
  })
})

describe('regenerating the secret', () => {
  it('returns a new secret once; with no grace the old one stops at once', async () => {
    const k = await create()
    const res = await h.admin('POST', `/api-keys/${k.id}/regenerate-secret`, { gracePeriod: 'none' })
    expect(res.statusCode).toBe(200)
    const body = res.json<{ secret: string; previousSecretExpiresAt: string | null }>()
    expect(body.secret).not.toBe(k.secret)
    expect(body.previousSecretExpiresAt).toBeNull()
    expect(await h.app.services.verifyApiKey(k.key, k.secret)).toBeNull()
    expect(await h.app.services.verifyApiKey(k.key, body.secret)).not.toBeNull()
    const listed = (await h.admin('GET', `/api-keys/${k.id}`)).json<ApiKey>()
    expect(listed.secretLast4).toBe(body.secret.slice(-4))
  })

  it('with a 24 hour grace period both secrets work and the list says until when', async () => {
    const k = await create()
    const res = await h.admin('POST', `/api-keys/${k.id}/regenerate-secret`, { gracePeriod: '24h' })
    const body = res.json<{ secret: string; previousSecretExpiresAt: string }>()
    expect(new Date(body.previousSecretExpiresAt).getTime() - Date.now()).toBeGreaterThan(23.9 * 3600_000)
    expect(await h.app.services.verifyApiKey(k.key, k.secret)).not.toBeNull()
    expect(await h.app.services.verifyApiKey(k.key, body.secret)).not.toBeNull()
    const listed = (await h.admin('GET', `/api-keys/${k.id}`)).json<ApiKey>()
    expect(listed.previousSecretExpiresAt).toBe(body.previousSecretExpiresAt)
  })

  it('rejects an unknown grace period', async () => {
    const k = await create()
    const res = await h.admin('POST', `/api-keys/${k.id}/regenerate-secret`, { gracePeriod: '1y' })
    expect(res.statusCode).toBe(422)
    expect(res.json<ErrorResponse>().error.details?.[0]?.field).toBe('gracePeriod')
    expect(await h.app.services.verifyApiKey(k.key, k.secret)).not.toBeNull()
  })
})

describe('deleting keys', () => {
  it('revokes access on the very next request', async () => {
    const k = await create()
    expect(await h.app.services.verifyApiKey(k.key, k.secret)).not.toBeNull()
    const res = await h.admin('DELETE', `/api-keys/${k.id}`)
    expect(res.statusCode).toBe(204)
    expect(await h.app.services.verifyApiKey(k.key, k.secret)).toBeNull()
    expect((await h.admin('GET', `/api-keys/${k.id}`)).statusCode).toBe(404)
    expect((await h.admin('DELETE', `/api-keys/${k.id}`)).statusCode).toBe(404)
  })
})

describe('access control', () => {
  it('answers 401 to every admin route without a session', async () => {
    const k = await create()
    const routes: AdminCall[] = [['GET', '/auth/me'], ['GET', '/stores'], ...keyRoutes(h.storeKey, k.id)]
    for (const [method, url, payload] of routes) {
      const res = await h.anonymous(method, url, payload)
      expect(res.statusCode, `${method} ${url}`).toBe(401)
      expect(res.json<ErrorResponse>().error.code).toBe('unauthorized')
    }
    const bogus = await h.anonymous('GET', `/stores/${h.storeKey}/api-keys`, undefined, {
      headers: { cookie: 'df_session=not.a.jwt', ...CSRF },
    })
    expect(bogus.statusCode).toBe(401)
    expect(await h.app.services.verifyApiKey(k.key, k.secret)).not.toBeNull()
  })

  it("answers 404 for another store's keys, and for a store the admin is not a member of", async () => {
    const k = await create()
    const asOther: AdminCall[] = [
      ...keyRoutes(h.storeKey, k.id),
      // The other admin's own store, with this store's key id.
      ['GET', `/stores/${other.storeKey}/api-keys/${k.id}`],
      ['PATCH', `/stores/${other.storeKey}/api-keys/${k.id}`, { activated: false }],
      ['DELETE', `/stores/${other.storeKey}/api-keys/${k.id}`],
    ]
    for (const [method, url, payload] of asOther) {
      const res = await other.signedIn(method, url, payload)
      expect(res.statusCode, `${method} ${url}`).toBe(404)
      expect(res.body).not.toContain(k.key)
    }
    const still = (await h.admin('GET', `/api-keys/${k.id}`)).json<ApiKey>()
    expect(still.activated).toBe(true)
    expect(await h.app.services.verifyApiKey(k.key, k.secret)).not.toBeNull()
  })

  it('accepts the JWT as a Bearer token too', async () => {
    const token = h.cookie.replace('df_session=', '')
    const res = await h.anonymous('GET', `/stores/${h.storeKey}/api-keys`, undefined, { headers: { authorization: `Bearer ${token}` } })
    expect(res.statusCode).toBe(200)
  })
})

describe('keys due for review', () => {
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000)
  const backdate = (id: string, values: Partial<typeof apiKeys.$inferInsert>) =>
    h.database.db.update(apiKeys).set(values).where(eq(apiKeys.id, id))
  const reviewIds = async (query = '') =>
    (await h.admin('GET', `/api-keys?review=true&limit=100${query}`)).json<ApiKeyList>().data.map((k) => k.id)

  it('lists keys unused for 30 days or with a secret 90 days old, and a regeneration makes the secret new', async () => {
    const fresh = await create({ description: 'Review: fresh' })
    const unused = await create({ description: 'Review: unused' })
    const neverUsed = await create({ description: 'Review: never used, old' })
    const oldSecret = await create({ description: 'Review: old secret' })
    const justUnder = await create({ description: 'Review: 29 days' })
    await backdate(unused.id, { createdAt: daysAgo(200), lastUsedAt: daysAgo(31), secretCreatedAt: daysAgo(10) })
    await backdate(neverUsed.id, { createdAt: daysAgo(31), secretCreatedAt: daysAgo(31) })
    await backdate(oldSecret.id, { createdAt: daysAgo(120), lastUsedAt: daysAgo(1), secretCreatedAt: daysAgo(91) })
    await backdate(justUnder.id, { createdAt: daysAgo(29), lastUsedAt: null, secretCreatedAt: daysAgo(29) })

    const due = await reviewIds()
    expect(due).toEqual(expect.arrayContaining([unused.id, neverUsed.id, oldSecret.id]))
    expect(due).not.toContain(fresh.id)
    expect(due).not.toContain(justUnder.id)
    // With a search, both apply.
    expect(await reviewIds('&search=old%20secret')).toEqual([oldSecret.id])

    const before = (await h.admin('GET', `/api-keys/${oldSecret.id}`)).json<ApiKey>()
    expect(new Date(before.secretCreatedAt).getTime()).toBeLessThan(daysAgo(90).getTime())
    expect((await h.admin('POST', `/api-keys/${oldSecret.id}/regenerate-secret`, {})).statusCode).toBe(200)
    const after = (await h.admin('GET', `/api-keys/${oldSecret.id}`)).json<ApiKey>()
    expect(Date.now() - new Date(after.secretCreatedAt).getTime()).toBeLessThan(60_000)
    expect(await reviewIds()).not.toContain(oldSecret.id)

    expect((await h.admin('GET', '/api-keys?review=maybe')).statusCode).toBe(422)
  })
})

describe('audit log', () => {
  it('lists actions newest first with the actor, page by page', async () => {
    const first = await h.admin('GET', '/audit-log?limit=2')
    expect(first.statusCode).toBe(200)
    const page = first.json<{ data: Array<{ action: string; actor: { email: string }; createdAt: string }>; nextCursor: string }>()
    expect(page.data).toHaveLength(2)
    expect(page.data[0]!.actor.email).toContain('@example.com')
    expect(page.data[0]!.createdAt >= page.data[1]!.createdAt).toBe(true)
    const second = await h.admin('GET', `/audit-log?limit=2&before=${page.nextCursor}`)
    const ids = new Set([...page.data, ...second.json<{ data: Array<{ id: string }> }>().data].map((e) => (e as { id: string }).id))
    expect(ids.size).toBe(4)
    expect((await h.admin('GET', '/audit-log?limit=0')).statusCode).toBe(422)
    expect((await h.admin('GET', '/audit-log?before=garbage')).statusCode).toBe(422)
  })

  type Entries = {
    data: Array<{ action: string; targetType: string; targetId: string; targetLabel: string | null }>
    nextCursor: string | null
  }

  it('filters by action, by kind of target and by one target (its history), and names each target', async () => {
    const k = await create({ description: 'History of one key' })
    await h.admin('PATCH', `/api-keys/${k.id}`, { description: 'Renamed key' })
    await h.admin('POST', `/api-keys/${k.id}/reveal`, { password: TEST_PASSWORD })
    // Nothing is delivered in this file (no events): the URL is only a name here.
    const hookUrl = 'https://hooks.example.com/audit-hook'
    const hook = await h.addWebhook(hookUrl)

    const history = (await h.admin('GET', `/audit-log?targetId=${k.id}`)).json<Entries>()
    expect(history.data.map((e) => e.action)).toEqual(['api_key.secret_revealed', 'api_key.updated', 'api_key.created'])
    // The key's name as it is now, on every entry of its history.
    expect(new Set(history.data.map((e) => e.targetLabel))).toEqual(new Set(['Renamed key']))

    const reveals = (await h.admin('GET', '/audit-log?action=api_key.secret_revealed&limit=100')).json<Entries>()
    expect(reveals.data.length).toBeGreaterThan(0)
    expect(reveals.data.every((e) => e.action === 'api_key.secret_revealed')).toBe(true)

    const aboutWebhooks = (await h.admin('GET', '/audit-log?targetType=webhook&limit=100')).json<Entries>()
    expect(aboutWebhooks.data.every((e) => e.targetType === 'webhook')).toBe(true)
    expect(aboutWebhooks.data.find((e) => e.targetId === hook.id)?.targetLabel).toBe(hookUrl)

    // Deleted: named as the entry recorded it.
    expect((await h.admin('DELETE', `/api-keys/${k.id}`)).statusCode).toBe(204)
    const afterDelete = (await h.admin('GET', `/audit-log?targetId=${k.id}`)).json<Entries>()
    expect(afterDelete.data[0]).toMatchObject({ action: 'api_key.deleted' })
    expect(afterDelete.data.find((e) => e.action === 'api_key.created')?.targetLabel).toBe('History of one key')

    // Filters page like the whole log.
    const first = (await h.admin('GET', `/audit-log?targetId=${k.id}&limit=2`)).json<Entries>()
    expect(first.nextCursor).not.toBeNull()
    const rest = (await h.admin('GET', `/audit-log?targetId=${k.id}&limit=2&before=${first.nextCursor}`)).json<Entries>()
    expect([...first.data, ...rest.data].map((e) => e.action)).toEqual(afterDelete.data.map((e) => e.action))

    for (const bad of ['action=api_key.exploded', 'targetType=store', 'targetId=']) {
      const res = await h.admin('GET', `/audit-log?${bad}`)
      expect(res.statusCode).toBe(422)
      expect(res.body).toContain(bad.split('=')[0])
    }
  })

  it("never shows another store's entries, even by target", async () => {
    const k = await create({ description: 'Ours only' })
    const res = await other.admin('GET', `/audit-log?targetId=${k.id}`)
    expect(res.statusCode).toBe(200)
    expect(res.json<Entries>().data).toEqual([])
  })
})

describe('logs', () => {
  it('never contain a secret, a password or a session token', async () => {
    const k = await create({ description: 'Log check' })
    await h.admin('POST', `/api-keys/${k.id}/reveal`, { password: TEST_PASSWORD })
    const regenerated = (await h.admin('POST', `/api-keys/${k.id}/regenerate-secret`, {})).json<{ secret: string }>()
    await h.anonymous('GET', '/stores', undefined, { headers: { authorization: `Bearer ${h.cookie.slice(11)}` } })
    const all = h.logs.join('')
    expect(h.logs.length).toBeGreaterThan(10)
    expect(all).not.toContain(k.secret)
    expect(all).not.toContain(regenerated.secret)
    expect(all).not.toContain(TEST_PASSWORD)
    expect(all).not.toContain(h.cookie.slice(11))
  })
})
