import { beforeAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { PERMISSIONS, REFERENCE_ORDER, permissionsOf, type ErrorResponse, type Resource } from '@deskflow/shared'
import { apiKeys } from '../src/db/schema'
import { useHarness, type ApiKeyFixture } from './helpers/harness'
import { basic } from './helpers/integrator'

/**
 * The reads check their key in the same statement as their data. What a caller sees must
 * not change: refusals in the order of every other route (401, 403 address, 403
 * permission, then 422 for the input), each kind of revoked key refused, an old secret
 * accepted only during its grace period, and a key with an address allowlist served the
 * same data as any other.
 */
const h = useHarness({ API_AUTH_FAILURE_LIMIT_PER_ADDRESS: '1000000', API_AUTH_FAILURE_LIMIT_PER_KEY: '1000000' })
const ids = {} as Record<Resource, string>
let full: ApiKeyFixture

beforeAll(async () => {
  full = h.integratorKey
  const product = await h.createProduct({ name: 'Checked mug', price: 900 })
  ids.products = product.id
  ids.categories = (await h.create<{ id: string }>('/v1/categories', { name: 'Checked' })).id
  ids.customers = (await h.create<{ id: string }>('/v1/customers', { email: 'checked@example.com', firstName: 'C', lastName: 'R' })).id
  ids.orders = (await h.createOrder(product.id)).id
})

const get = (url: string, auth: string, remoteAddress = '127.0.0.1') => h.v1('GET', url, undefined, { auth, remoteAddress })
const wrong = (k: ApiKeyFixture) => basic(k.key, `${k.secret.slice(0, -1)}${k.secret.endsWith('x') ? 'y' : 'x'}`)

async function errorOf(res: Awaited<ReturnType<typeof get>>, status: number) {
  expect(res.statusCode, res.body).toBe(status)
  return res.json<ErrorResponse>().error
}

// Input each read refuses with 422, and the field it names.
const BAD_LIST_INPUT: [string, string][] = [
  ['limit=0', 'limit'],
  ['cursor=forged', 'cursor'],
  ['cursor=%00', 'cursor'],
  ['updated_since=yesterday', 'updated_since'],
]

describe.each(REFERENCE_ORDER)('reads of %s', (resource) => {
  const { read } = permissionsOf(resource)
  const list = `/v1/${resource}`
  const one = () => `/v1/${resource}/${ids[resource]}`

  it('refuse credentials before permissions before input', async () => {
    const lacking = await h.createKey(PERMISSIONS.filter((p) => p !== read))
    for (const [query, field] of BAD_LIST_INPUT) {
      expect((await errorOf(await get(`${list}?${query}`, wrong(full)), 401)).code).toBe('unauthorized')
      expect((await errorOf(await get(`${list}?${query}`, lacking.auth), 403)).message).toContain(read)
      const invalid = await errorOf(await get(`${list}?${query}`, full.auth), 422)
      expect(
        invalid.details?.map((d) => d.field),
        query,
      ).toContain(field)
    }
    const badId = `/v1/${resource}/not-an-id`
    expect((await errorOf(await get(badId, wrong(full)), 401)).code).toBe('unauthorized')
    expect((await errorOf(await get(badId, lacking.auth), 403)).code).toBe('forbidden')
    // A malformed id names nothing, as on every route: 404.
    expect((await errorOf(await get(badId, full.auth), 404)).code).toBe('not_found')
  })

  it('refuse a deactivated, expired, deleted or unknown key, and an old secret after its grace period', async () => {
    const k = await h.createKey([read])
    expect((await get(one(), k.auth)).statusCode).toBe(200)
    await h.database.db.update(apiKeys).set({ activated: false }).where(eq(apiKeys.id, k.id))
    await errorOf(await get(list, k.auth), 401)
    await h.database.db
      .update(apiKeys)
      .set({ activated: true, expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, k.id))
    await errorOf(await get(one(), k.auth), 401)
    await h.database.db.update(apiKeys).set({ expiresAt: null }).where(eq(apiKeys.id, k.id))
    expect((await get(list, k.auth)).statusCode).toBe(200)

    const rolled = (await h.admin('POST', `/api-keys/${k.id}/regenerate-secret`, { gracePeriod: '1h' })).json<{ secret: string }>()
    expect((await get(list, k.auth)).statusCode).toBe(200)
    expect((await get(one(), basic(k.key, rolled.secret))).statusCode).toBe(200)
    await h.database.db
      .update(apiKeys)
      .set({ previousSecretValidUntil: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, k.id))
    await errorOf(await get(list, k.auth), 401)
    await errorOf(await get(one(), k.auth), 401)

    expect((await h.admin('DELETE', `/api-keys/${k.id}`)).statusCode).toBe(204)
    await errorOf(await get(list, basic(k.key, rolled.secret)), 401)
    await errorOf(await get(list, basic(k.key.replace(/.{6}$/, 'AAAAAA'), rolled.secret)), 401)
  })

  it('serve a key with an address allowlist the same data, and only from its addresses', async () => {
    const listed = await h.createKey([read], { allowedIps: ['203.0.113.0/24'] })
    const plain = await get(`${list}?limit=2`, full.auth)
    const fromListed = await get(`${list}?limit=2`, listed.auth, '203.0.113.9')
    expect(fromListed.statusCode).toBe(200)
    // Cursors are signed for the store, not the key: both answers are the same page.
    expect(fromListed.json()).toEqual(plain.json())
    expect((await get(one(), listed.auth, '203.0.113.9')).json()).toEqual((await get(one(), full.auth)).json())
    expect((await errorOf(await get(one(), listed.auth, '198.51.100.1'), 403)).message).toContain('198.51.100.1')
  })

  it('refuse the address before the permission, and the rate limit before the permission', async () => {
    const lacking = PERMISSIONS.filter((p) => p !== read)
    const elsewhere = await h.createKey(lacking, { allowedIps: ['203.0.113.0/24'] })
    expect((await errorOf(await get(list, elsewhere.auth, '198.51.100.1'), 403)).message).toContain('198.51.100.1')
    const limited = await h.createKey(lacking, { rateLimitPerMinute: 1 })
    expect((await errorOf(await get(one(), limited.auth), 403)).message).toContain(read)
    expect((await errorOf(await get(one(), limited.auth), 429)).code).toBe('rate_limited')
  })

  it('serve a key that was over its rate limit the same data once its limit allows again', async () => {
    const k = await h.createKey([read], { rateLimitPerMinute: 1 })
    const page = await get(`${list}?limit=2`, k.auth)
    expect(page.statusCode).toBe(200)
    await errorOf(await get(`${list}?limit=2`, k.auth), 429)
    // Raised by the admin: the next request is allowed while this instance still remembers the 429.
    expect((await h.admin('PATCH', `/api-keys/${k.id}`, { rateLimitPerMinute: 100 })).statusCode).toBe(200)
    const again = await get(`${list}?limit=2`, k.auth)
    expect(again.statusCode, again.body).toBe(200)
    expect(again.json()).toEqual(page.json())
    const item = await get(one(), k.auth)
    expect(item.statusCode).toBe(200)
    expect(item.json<{ id: string }>().id).toBe(ids[resource])
  })

  it('serve a key refused for a missing permission on its next request once it is granted, and refuse it once taken away', async () => {
    const lacking = PERMISSIONS.filter((p) => p !== read)
    const k = await h.createKey(lacking)
    expect((await errorOf(await get(`${list}?limit=2`, k.auth), 403)).message).toContain(read)
    expect((await errorOf(await get(one(), k.auth), 403)).message).toContain(read)
    // Granted: this instance still remembers the key without it, and must not refuse it.
    expect((await h.admin('PATCH', `/api-keys/${k.id}`, { permissions: PERMISSIONS })).statusCode).toBe(200)
    const page = await get(`${list}?limit=2`, k.auth)
    expect(page.statusCode, page.body).toBe(200)
    expect(page.json()).toEqual((await get(`${list}?limit=2`, full.auth)).json())
    expect((await get(one(), k.auth)).json()).toEqual((await get(one(), full.auth)).json())
    // Taken away again: refused on the very next request.
    expect((await h.admin('PATCH', `/api-keys/${k.id}`, { permissions: lacking })).statusCode).toBe(200)
    expect((await errorOf(await get(`${list}?limit=2`, k.auth), 403)).message).toContain(read)
    expect((await errorOf(await get(one(), k.auth), 403)).message).toContain(read)
  })

  it('answer 404 for an id of the store that does not exist, after the key is accepted', async () => {
    const prefix = ids[resource].split('_')[0]
    await errorOf(await get(`/v1/${resource}/${prefix}_doesnotexist`, wrong(full)), 401)
    expect((await errorOf(await get(`/v1/${resource}/${prefix}_doesnotexist`, full.auth), 404)).code).toBe('not_found')
  })
})

// The events feed checks its key in the same statement too; its rule is its own: any read
// permission, and each event visible only to a key that may read its resource.
describe('reads of the events feed', () => {
  type Feed = { data: { id: string; type: string }[]; nextCursor: string | null }
  const reads = PERMISSIONS.filter((p) => p.startsWith('read_'))
  const writesOnly = PERMISSIONS.filter((p) => !p.startsWith('read_'))
  const typesOf = (res: Awaited<ReturnType<typeof get>>) => {
    expect(res.statusCode, res.body).toBe(200)
    return res.json<Feed>().data.map((e) => e.type)
  }

  it('refuse credentials before permissions before input', async () => {
    const lacking = await h.createKey(writesOnly)
    for (const [query, field] of [
      ...BAD_LIST_INPUT.filter(([q]) => !q.startsWith('updated')),
      ['created_since=yesterday', 'created_since'],
      ['type=order.exploded', 'type'],
    ]) {
      expect((await errorOf(await get(`/v1/events?${query}`, wrong(full)), 401)).code).toBe('unauthorized')
      expect((await errorOf(await get(`/v1/events?${query}`, lacking.auth), 403)).message).toContain('read_orders')
      const invalid = await errorOf(await get(`/v1/events?${query}`, full.auth), 422)
      expect(
        invalid.details?.map((d) => d.field),
        query,
      ).toContain(field)
    }
    expect((await errorOf(await get('/v1/events/not-an-id', wrong(full)), 401)).code).toBe('unauthorized')
    expect((await errorOf(await get('/v1/events/not-an-id', lacking.auth), 403)).code).toBe('forbidden')
    expect((await errorOf(await get('/v1/events/evt_doesnotexist', full.auth), 404)).code).toBe('not_found')
  })

  it('refuse a deactivated, expired or deleted key', async () => {
    const k = await h.createKey(reads)
    const [first] = (await get('/v1/events', k.auth)).json<Feed>().data
    const one = `/v1/events/${first!.id}`
    expect((await get(one, k.auth)).statusCode).toBe(200)
    await h.database.db.update(apiKeys).set({ activated: false }).where(eq(apiKeys.id, k.id))
    await errorOf(await get('/v1/events', k.auth), 401)
    await errorOf(await get(one, k.auth), 401)
    await h.database.db
      .update(apiKeys)
      .set({ activated: true, expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, k.id))
    await errorOf(await get('/v1/events', k.auth), 401)
    await h.database.db.update(apiKeys).set({ expiresAt: null }).where(eq(apiKeys.id, k.id))
    expect((await get(one, k.auth)).statusCode).toBe(200)
    expect((await h.admin('DELETE', `/api-keys/${k.id}`)).statusCode).toBe(204)
    await errorOf(await get('/v1/events', k.auth), 401)
    await errorOf(await get(one, k.auth), 401)
  })

  it('show each key the events it may read, from its very next request after a change of permissions', async () => {
    const k = await h.createKey(['read_orders'])
    expect(new Set(typesOf(await get('/v1/events?limit=100', k.auth)))).toEqual(new Set(['order.created']))
    expect((await errorOf(await get('/v1/events?type=customer.created', k.auth), 403)).message).toContain('read_customers')
    const customerEvent = (await get('/v1/events?type=customer.created', full.auth)).json<Feed>().data[0]!
    expect((await errorOf(await get(`/v1/events/${customerEvent.id}`, k.auth), 403)).message).toContain('read_customers')

    expect((await h.admin('PATCH', `/api-keys/${k.id}`, { permissions: ['read_orders', 'read_customers'] })).statusCode).toBe(200)
    expect(new Set(typesOf(await get('/v1/events?limit=100', k.auth)))).toEqual(new Set(['order.created', 'customer.created']))
    expect((await get(`/v1/events/${customerEvent.id}`, k.auth)).statusCode).toBe(200)

    // Down to a write permission only: this instance remembers a reader, and must refuse.
    expect((await h.admin('PATCH', `/api-keys/${k.id}`, { permissions: ['write_orders'] })).statusCode).toBe(200)
    expect((await errorOf(await get('/v1/events', k.auth), 403)).message).toContain('read_orders')
    expect((await h.admin('PATCH', `/api-keys/${k.id}`, { permissions: reads })).statusCode).toBe(200)
    expect(typesOf(await get('/v1/events?limit=100', k.auth))).toEqual(typesOf(await get('/v1/events?limit=100', full.auth)))
  })

  it('serve a key with an address allowlist the same events, and only from its addresses', async () => {
    const listed = await h.createKey(['read_orders', 'read_products'], { allowedIps: ['203.0.113.0/24'] })
    const plain = await h.createKey(['read_orders', 'read_products'])
    const page = await get('/v1/events?limit=1', listed.auth, '203.0.113.9')
    expect(page.statusCode).toBe(200)
    expect(page.json()).toEqual((await get('/v1/events?limit=1', plain.auth)).json())
    const next = page.json<Feed>().nextCursor!
    expect((await get(`/v1/events?cursor=${encodeURIComponent(next)}`, listed.auth, '203.0.113.9')).json()).toEqual(
      (await get(`/v1/events?cursor=${encodeURIComponent(next)}`, plain.auth)).json(),
    )
    expect((await errorOf(await get('/v1/events', listed.auth, '198.51.100.1'), 403)).message).toContain('198.51.100.1')
    const limited = await h.createKey(writesOnly, { rateLimitPerMinute: 1 })
    expect((await errorOf(await get('/v1/events', limited.auth), 403)).message).toContain('read_orders')
    expect((await errorOf(await get('/v1/events', limited.auth), 429)).code).toBe('rate_limited')
  })
})
