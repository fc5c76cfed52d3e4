import { beforeAll, describe, expect, it } from 'vitest'
import { and, count, eq } from 'drizzle-orm'
import { apiKeys, auditLog, storeMembers, webhooks } from '../src/db/schema'
import { CSRF, TEST_PASSWORD, useHarness } from './helpers/harness'

/**
 * Store roles on every admin route, the routes read from the app's own OpenAPI document (a
 * new route is in the matrix without being listed): a viewer may read, a developer may do
 * everything but change the team, an owner everything; a refused change is a 403 naming
 * what the role lacks, and changes nothing.
 */
const h = useHarness({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_ALLOW_HTTP: 'true' })
const cookies: Record<'owner' | 'developer' | 'viewer', string> = { owner: '', developer: '', viewer: '' }
const routes: Array<{ method: string; path: string; operationId: string }> = []
/** The team's changes: an owner's alone. */
const OWNER_OPERATIONS = new Set(['addMember', 'updateMember', 'removeMember'])
const needsOwner = (r: { operationId: string }) => OWNER_OPERATIONS.has(r.operationId)
let keyId = ''
let webhookId = ''
/** A member the matrix may change or remove. */
let memberId = ''

beforeAll(async () => {
  for (const role of ['developer', 'viewer'] as const) {
    const admin = await h.createAdmin()
    await h.database.db.insert(storeMembers).values({ storeId: h.storeId, adminId: admin.id, role })
    cookies[role] = await h.login(admin.email)
  }
  cookies.owner = h.cookie
  const spare = await h.createAdmin()
  await h.database.db.insert(storeMembers).values({ storeId: h.storeId, adminId: spare.id, role: 'developer' })
  memberId = spare.id
  keyId = (await h.createKey(['read_orders'])).id
  const receiver = await h.receiver()
  webhookId = (await h.addWebhook(receiver.url)).id
  const doc = (await h.anonymous('GET', '/openapi.json')).json<{ paths: Record<string, Record<string, { operationId: string }>> }>()
  for (const [path, operations] of Object.entries(doc.paths)) {
    if (!path.startsWith('/stores/{key}')) continue
    for (const [method, { operationId }] of Object.entries(operations)) routes.push({ method: method.toUpperCase(), path, operationId })
  }
})

/** The route with this store's key, the key's, the webhook's and the member's ids, and ids that do not exist for the rest. */
function url(path: string): string {
  return path
    .replace('{key}', h.storeKey)
    .replace('{adminId}', memberId)
    .replace(/\/api-keys\/\{id\}/, `/api-keys/${keyId}`)
    .replace(/\/webhooks\/\{id\}/, `/webhooks/${webhookId}`)
    .replace('{deliveryId}', 'whd_0000000000000000000')
}

const as = (role: keyof typeof cookies, method: string, path: string, body?: object) =>
  h.anonymous(method as 'GET', url(path), body, { headers: { cookie: cookies[role], ...CSRF } })

const VIEWER_REFUSAL = /Viewers of this store can read/
const OWNERS_ONLY = /^Only owners of this store can add members, change their roles or remove them$/

describe('store roles on every admin route', () => {
  it('finds the admin routes in the document', () => {
    expect(routes.length).toBeGreaterThan(15)
    expect(routes.filter((r) => r.method === 'GET').length).toBeGreaterThan(5)
    expect(
      routes
        .filter(needsOwner)
        .map((r) => r.operationId)
        .sort(),
    ).toEqual([...OWNER_OPERATIONS].sort())
  })

  it('lets a viewer read every list, usage and log', async () => {
    for (const { method, path } of routes.filter((r) => r.method === 'GET')) {
      const res = await as('viewer', method, path)
      expect(res.statusCode, `${method} ${path}: ${res.body}`).not.toBe(403)
      expect(res.statusCode, `${method} ${path}`).toBeLessThan(500)
    }
  })

  it("refuses a viewer's every change and secret with 403 naming the role, and changes nothing", async () => {
    const tables = async () =>
      Promise.all(
        [apiKeys, webhooks, auditLog, storeMembers].map(
          async (t) => (await h.database.db.select({ n: count() }).from(t).where(eq(t.storeId, h.storeId)))[0]!.n,
        ),
      )
    const before = await tables()
    const changes = routes.filter((r) => r.method !== 'GET')
    expect(changes.length).toBeGreaterThan(10)
    for (const route of changes) {
      const { method, path } = route
      const res = await as('viewer', method, path, { password: TEST_PASSWORD, description: 'viewer was here', role: 'owner' })
      expect(res.statusCode, `${method} ${path}`).toBe(403)
      expect(res.json<{ error: { code: string; message: string } }>().error, `${method} ${path}`).toMatchObject({
        code: 'forbidden',
        message: expect.stringMatching(needsOwner(route) ? OWNERS_ONLY : VIEWER_REFUSAL),
      })
    }
    expect(await tables()).toEqual(before)
  })

  it("refuses a developer's every change to the team with 403 saying only owners may, and changes nothing", async () => {
    const members = async () => h.database.db.select().from(storeMembers).where(eq(storeMembers.storeId, h.storeId))
    const before = await members()
    const team = routes.filter(needsOwner)
    expect(team).toHaveLength(3)
    for (const { method, path } of team) {
      const res = await as('developer', method, path, { email: 'planted@example.com', role: 'owner' })
      expect(res.statusCode, `${method} ${path}`).toBe(403)
      expect(res.json<{ error: { message: string } }>().error.message).toMatch(OWNERS_ONLY)
    }
    expect(await members()).toEqual(before)
  })

  it('lets a developer make every other change, and an owner every change', async () => {
    for (const role of ['developer', 'owner'] as const) {
      for (const route of routes.filter((r) => r.method !== 'GET' && (role === 'owner' || !needsOwner(r)))) {
        const { method, path } = route
        const res = await as(role, method, path, {})
        // Whatever else the answer says (a 422 for the empty body, a 404 for an unknown id), it is not the role.
        expect(res.statusCode, `${role} ${method} ${path}: ${res.body}`).not.toBe(401)
        if (res.statusCode === 403) expect(res.body, `${role} ${method} ${path}`).not.toMatch(/Viewers of this store can read|Only owners/)
      }
      const created = await as(role, 'POST', '/stores/{key}/api-keys', { description: `made by a ${role}`, permissions: ['read_orders'] })
      expect(created.statusCode).toBe(201)
    }
    const [made] = await h.database.db
      .select({ n: count() })
      .from(apiKeys)
      .where(and(eq(apiKeys.storeId, h.storeId), eq(apiKeys.description, 'made by a developer')))
    expect(made!.n).toBe(1)
  })
})
