import { beforeAll, describe, expect, it } from 'vitest'
import { and, count, eq } from 'drizzle-orm'
import { apiKeys, auditLog, storeMembers, webhooks } from '../src/db/schema'
import { CSRF, TEST_PASSWORD, useHarness } from './helpers/harness'

/**
 * Store roles on every admin route, the routes read from the app's own OpenAPI document (a
 * new route is in the matrix without being listed): a viewer may read, an owner or a
 * developer may do everything; a viewer's change is refused with 403 and changes nothing.
 */
const h = useHarness({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_ALLOW_HTTP: 'true' })
const cookies: Record<'owner' | 'developer' | 'viewer', string> = { owner: '', developer: '', viewer: '' }
const routes: Array<{ method: string; path: string }> = []
let keyId = ''
let webhookId = ''

beforeAll(async () => {
  for (const role of ['developer', 'viewer'] as const) {
    const admin = await h.createAdmin()
    await h.database.db.insert(storeMembers).values({ storeId: h.storeId, adminId: admin.id, role })
    cookies[role] = await h.login(admin.email)
  }
  cookies.owner = h.cookie
  keyId = (await h.createKey(['read_orders'])).id
  const receiver = await h.receiver()
  webhookId = (await h.addWebhook(receiver.url)).id
  const doc = (await h.anonymous('GET', '/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>()
  for (const [path, operations] of Object.entries(doc.paths)) {
    if (!path.startsWith('/stores/{key}')) continue
    for (const method of Object.keys(operations)) routes.push({ method: method.toUpperCase(), path })
  }
})

/** The route with this store's key, the key's and the webhook's ids, and ids that do not exist for the rest. */
function url(path: string): string {
  return path
    .replace('{key}', h.storeKey)
    .replace(/\/api-keys\/\{id\}/, `/api-keys/${keyId}`)
    .replace(/\/webhooks\/\{id\}/, `/webhooks/${webhookId}`)
    .replace('{deliveryId}', 'whd_0000000000000000000')
}

const as = (role: keyof typeof cookies, method: string, path: string, body?: object) =>
  h.anonymous(method as 'GET', url(path), body, { headers: { cookie: cookies[role], ...CSRF } })

const VIEWER_REFUSAL = /Viewers of this store can read/

describe('store roles on every admin route', () => {
  it('finds the admin routes in the document', () => {
    expect(routes.length).toBeGreaterThan(15)
    expect(routes.filter((r) => r.method === 'GET').length).toBeGreaterThan(5)
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
        [apiKeys, webhooks, auditLog].map(
          async (t) => (await h.database.db.select({ n: count() }).from(t).where(eq(t.storeId, h.storeId)))[0]!.n,
        ),
      )
    const before = await tables()
    const changes = routes.filter((r) => r.method !== 'GET')
    expect(changes.length).toBeGreaterThan(10)
    for (const { method, path } of changes) {
      const res = await as('viewer', method, path, { password: TEST_PASSWORD, description: 'viewer was here' })
      expect(res.statusCode, `${method} ${path}`).toBe(403)
      expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({
        code: 'forbidden',
        message: expect.stringMatching(VIEWER_REFUSAL),
      })
    }
    expect(await tables()).toEqual(before)
  })

  it('lets a developer and an owner make changes', async () => {
    for (const role of ['developer', 'owner'] as const) {
      for (const { method, path } of routes.filter((r) => r.method !== 'GET')) {
        const res = await as(role, method, path, {})
        // Whatever else the answer says (a 422 for the empty body, a 404 for an unknown id), it is not the role.
        expect(res.statusCode, `${role} ${method} ${path}: ${res.body}`).not.toBe(401)
        if (res.statusCode === 403) expect(res.body, `${role} ${method} ${path}`).not.toMatch(VIEWER_REFUSAL)
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
