import { beforeAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { PERMISSIONS, REFERENCE_ORDER, permissionsOf, type ErrorResponse, type Permission, type Resource } from '@deskflow/shared'
import { apiKeys } from '../src/db/schema'
import { useHarness, type ApiKeyFixture, type StoreFixture } from './helpers/harness'
import { basic } from './helpers/integrator'

/**
 * One table of security cases, run on every integrator route (Unkey's
 * runCommonRouteTests): each case with its exact status and error code.
 */
// The table sends hundreds of refused credentials from one address; the limits on failed
// authentication have their own tests (limits.test.ts).
const mine = useHarness({ API_AUTH_FAILURE_LIMIT_PER_ADDRESS: '1000000', API_AUTH_FAILURE_LIMIT_PER_KEY: '1000000' })
let theirs: StoreFixture
let full: ApiKeyFixture
const ids: Record<Resource, string> = { customers: '', products: '', categories: '', orders: '' }
const theirIds: Record<Resource, string> = { customers: '', products: '', categories: '', orders: '' }

const bodies: Record<Resource, { create: object; update: object }> = {
  customers: { create: { email: 'sec@example.com', firstName: 'Sec', lastName: 'Table' }, update: { firstName: 'Changed' } },
  products: { create: { name: 'Secure mug', price: 1200 }, update: { price: 1300 } },
  categories: { create: { name: 'Secure' }, update: { name: 'Changed' } },
  orders: { create: {}, update: { note: 'changed' } },
}

async function seed(store: StoreFixture, into: Record<Resource, string>) {
  const post = async (path: string, payload: object) => (await store.create<{ id: string }>(`/v1/${path}`, payload)).id
  into.customers = await post('customers', { email: `c-${store.storeKey}@example.com`, firstName: 'A', lastName: 'B' })
  into.categories = await post('categories', { name: 'Cat' })
  into.products = await post('products', { name: 'Prod', price: 500 })
  into.orders = await post('orders', { lineItems: [{ productId: into.products, quantity: 1 }] })
  return store.integratorKey
}

beforeAll(async () => {
  theirs = await mine.newStore()
  full = await seed(mine, ids)
  await seed(theirs, theirIds)
  bodies.orders.create = { lineItems: [{ productId: ids.products, quantity: 1 }] }
})

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'
interface Route {
  method: Method
  resource: Resource
  permission: Permission
  url: (id: string) => string
  body?: (r: Resource) => object
  byId: boolean
}

// Every resource of the registry, in the reference's order: customers, products, categories, orders.
const ROUTES: Route[] = REFERENCE_ORDER.flatMap((resource): Route[] => {
  const { read, write } = permissionsOf(resource)
  return [
    { method: 'GET', resource, permission: read, url: () => `/v1/${resource}`, byId: false },
    { method: 'GET', resource, permission: read, url: (id) => `/v1/${resource}/${id}`, byId: true },
    { method: 'POST', resource, permission: write, url: () => `/v1/${resource}`, body: (r) => bodies[r].create, byId: false },
    { method: 'PATCH', resource, permission: write, url: (id) => `/v1/${resource}/${id}`, body: (r) => bodies[r].update, byId: true },
    { method: 'DELETE', resource, permission: write, url: (id) => `/v1/${resource}/${id}`, byId: true },
  ]
})

function call(route: Route, authorization: string | undefined, id?: string) {
  const url = route.url(id ?? ids[route.resource])
  const body = route.body?.(route.resource)
  return authorization === undefined ? mine.anonymous(route.method, url, body) : mine.v1(route.method, url, body, authorization)
}

async function expectError(res: Awaited<ReturnType<typeof call>>, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status)
  const body = res.json<ErrorResponse>()
  expect(body.error.code).toBe(code)
  expect(body.error.requestId).toMatch(/^req_/)
  return body.error
}

const INVALID = 'Invalid API key or secret'

describe.each(ROUTES.map((r) => [`${r.method} ${r.url(':id')}`, r] as const))('%s', (_name, route) => {
  it('no credentials: 401 with a WWW-Authenticate challenge', async () => {
    const res = await call(route, undefined)
    await expectError(res, 401, 'unauthorized')
    expect(res.headers['www-authenticate']).toBe('Basic realm="Deskflow API", charset="UTF-8"')
  })

  it('a malformed Authorization header: 401', async () => {
    for (const header of ['Bearer abc', 'Basic', 'Basic !!!', `Basic ${Buffer.from('no-colon').toString('base64')}`]) {
      const res = await call(route, header)
      await expectError(res, 401, 'unauthorized')
      expect(res.headers['www-authenticate']).toContain('Basic')
    }
  })

  it('a wrong secret: 401 with the one message', async () => {
    const other = await mine.createKey()
    const error = await expectError(await call(route, basic(full.key, other.secret)), 401, 'unauthorized')
    expect(error.message).toBe(INVALID)
  })

  it('a deactivated key: 401 with the same message', async () => {
    const k = await mine.createKey()
    await mine.admin('PATCH', `/api-keys/${k.id}`, { activated: false })
    expect((await expectError(await call(route, k.auth), 401, 'unauthorized')).message).toBe(INVALID)
  })

  it('a deleted key: 401 with the same message', async () => {
    const k = await mine.createKey()
    await mine.admin('DELETE', `/api-keys/${k.id}`)
    expect((await expectError(await call(route, k.auth), 401, 'unauthorized')).message).toBe(INVALID)
  })

  it('an expired key: 401 with the same message', async () => {
    const k = await mine.createKey(PERMISSIONS, { expiresAt: new Date(Date.now() + 60_000).toISOString() })
    await mine.database.db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, k.id))
    expect((await expectError(await call(route, k.auth), 401, 'unauthorized')).message).toBe(INVALID)
  })

  it('a regenerated secret (no grace): 401 with the same message', async () => {
    const k = await mine.createKey()
    await mine.admin('POST', `/api-keys/${k.id}/regenerate-secret`, {})
    expect((await expectError(await call(route, k.auth), 401, 'unauthorized')).message).toBe(INVALID)
  })

  // Only routes that take an id can be pointed at another store's object.
  if (route.byId)
    it("another store's object id: 404, and nothing changes there", async () => {
      const before = await mine.v1('GET', `/v1/${route.resource}/${theirIds[route.resource]}`, undefined, full.auth)
      await expectError(await call(route, full.auth, theirIds[route.resource]), 404, 'not_found')
      expect(before.statusCode).toBe(404)
      const theirsNow = await mine.database.db.execute(
        `select count(*)::int as n from ${route.resource} where id = '${theirIds[route.resource]}'`,
      )
      expect(theirsNow.rows[0]).toEqual({ n: 1 })
    })

  it(`without ${route.permission}: 403 naming it`, async () => {
    const k = await mine.createKey(PERMISSIONS.filter((p) => p !== route.permission))
    const error = await expectError(await call(route, k.auth), 403, 'forbidden')
    expect(error.message).toContain(`requires ${route.permission}`)
  })

  it(`with only ${route.permission}: allowed`, async () => {
    const k = await mine.createKey([route.permission])
    const id = route.method === 'DELETE' ? await freshId(route.resource) : ids[route.resource]
    const res = await call(route, k.auth, id)
    expect(res.statusCode, res.body).toBeLessThan(300)
  })
})

let serial = 0
/** A throwaway object for the delete case, so the shared ids survive. */
async function freshId(resource: Resource): Promise<string> {
  serial++
  const payload: Record<Resource, object> = {
    customers: { email: `del${serial}@example.com`, firstName: 'D', lastName: 'E' },
    products: { name: `Del ${serial}`, price: 1 },
    categories: { name: `Del ${serial}` },
    orders: { lineItems: [{ productId: ids.products, quantity: 1 }] },
  }
  const res = await mine.v1('POST', `/v1/${resource}`, payload[resource], full.auth)
  return res.json<{ id: string }>().id
}
