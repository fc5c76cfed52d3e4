import { beforeAll, describe, expect, it } from 'vitest'
import type { ErrorResponse, Product } from '@deskflow/shared'
import { useHarness, type StoreFixture } from './helpers/harness'
import type { Receiver } from './helpers/receiver'

/**
 * Every list's cursor: opaque, short, URL-safe, and only accepted by the list (and
 * store, and webhook) that issued it. Anything else is a 422 naming the parameter.
 */
const store = useHarness({
  LOG_LEVEL: 'silent',
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_TIMEOUT_MS: '2000',
})
let other: StoreFixture
let receiver: Receiver
const hooks: string[] = []

interface List {
  name: string
  url: (s: StoreFixture) => string
  param: 'cursor' | 'before'
  admin: boolean
}

const LISTS: List[] = [
  ...['customers', 'products', 'categories', 'orders'].map((r) => ({
    name: r,
    url: () => `/v1/${r}`,
    param: 'cursor' as const,
    admin: false,
  })),
  { name: 'audit log', url: (s) => `/stores/${s.storeKey}/audit-log`, param: 'before', admin: true },
  {
    name: 'deliveries',
    url: (s) => `/stores/${s.storeKey}/webhooks/${s === store ? hooks[0] : hooks[1]}/deliveries`,
    param: 'cursor',
    admin: true,
  },
]

function get(list: List, s: StoreFixture, query: string) {
  const url = `${list.url(s)}?${query}`
  return list.admin ? s.signedIn('GET', url) : s.v1('GET', url)
}

/** Every page at one item per page: the ids in order, and the cursors handed out. */
async function walk(list: List, s: StoreFixture = store) {
  const ids: string[] = []
  const cursors: string[] = []
  let cursor: string | null = null
  do {
    const res = await get(list, s, `limit=1${cursor ? `&${list.param}=${cursor}` : ''}`)
    expect(res.statusCode, res.body).toBe(200)
    const page = res.json<{ data: Array<{ id: string }>; nextCursor: string | null }>()
    ids.push(...page.data.map((d) => d.id))
    cursor = page.nextCursor
    if (cursor) cursors.push(cursor)
  } while (cursor && ids.length < 50)
  return { ids, cursors }
}

async function fill(s: StoreFixture, hook: number) {
  for (let i = 0; i < 3; i++) {
    await s.v1('POST', '/v1/customers', { email: `c${i}@example.com`, firstName: 'C', lastName: `${i}` })
    await s.v1('POST', '/v1/categories', { name: `Category ${i}` })
  }
  const products: Product[] = []
  for (let i = 0; i < 3; i++) products.push((await s.v1('POST', '/v1/products', { name: `Product ${i}`, price: 100 })).json<Product>())
  for (const p of products) await s.v1('POST', '/v1/orders', { lineItems: [{ productId: p.id, quantity: 1 }] })
  hooks[hook] = (await s.addWebhook(receiver.url)).id
  for (let i = 0; i < 3; i++) await s.admin('POST', `/webhooks/${hooks[hook]}/test`)
}

beforeAll(async () => {
  receiver = await store.receiver()
  other = await store.newStore()
  await fill(store, 0)
  await fill(other, 1)
})

function expectRefused(res: { statusCode: number; body: string; json: <T>() => T }, param: string, what: string) {
  expect(res.statusCode, `${what}: ${res.body}`).toBe(422)
  expect(res.json<ErrorResponse>().error.details?.[0]?.field, what).toBe(param)
}

describe('cursors', () => {
  it.each(LISTS.map((l) => [l.name, l] as const))(
    '%s: page by page, every object once, with short URL-safe cursors',
    async (_name, list) => {
      const { ids, cursors } = await walk(list)
      expect(ids.length).toBeGreaterThanOrEqual(3)
      expect(new Set(ids).size).toBe(ids.length)
      const all = (await get(list, store, 'limit=100')).json<{ data: Array<{ id: string }> }>().data.map((d) => d.id)
      expect(ids).toEqual(all)
      for (const cursor of cursors) {
        expect(cursor).toMatch(/^[A-Za-z0-9_.-]+$/)
        expect(cursor.length).toBeLessThanOrEqual(80)
      }
    },
  )

  it.each(LISTS.map((l) => [l.name, l] as const))(
    '%s: a tampered, truncated, extended or forged cursor is a 422 naming it',
    async (_name, list) => {
      const [cursor] = (await walk(list)).cursors
      const flip = (s: string, i: number) => `${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`
      const lastId = (await get(list, store, 'limit=1')).json<{ data: Array<{ id: string }> }>().data[0]!.id
      const bad: Record<string, string> = {
        'first character changed': flip(cursor!, 0),
        'middle character changed': flip(cursor!, Math.floor(cursor!.length / 2)),
        'last character changed': flip(cursor!, cursor!.length - 1),
        truncated: cursor!.slice(0, -1),
        'cut in half': cursor!.slice(0, cursor!.length / 2),
        extended: `${cursor}A`,
        doubled: `${cursor}${cursor}`,
        'an id in base64url': Buffer.from(lastId).toString('base64url'),
        'a date out of range and an id': Buffer.from(`-271821-04-20T00:00:00.000Z|${lastId}`).toString('base64url'),
        'a year 275760 date and an id': Buffer.from(`+275760-09-13T00:00:00.000Z|${lastId}`).toString('base64url'),
        garbage: 'bm90IGEgY3Vyc29y',
        dots: '...',
      }
      for (const [what, value] of Object.entries(bad))
        expectRefused(await get(list, store, `${list.param}=${encodeURIComponent(value)}`), list.param, what)
    },
  )

  it("a cursor of another list, another store or another webhook's log is a 422", async () => {
    const cursors = new Map<string, string>()
    for (const list of LISTS) cursors.set(list.name, (await walk(list)).cursors[0]!)
    for (const list of LISTS) {
      for (const [from, cursor] of cursors) {
        if (from === list.name) continue
        expectRefused(await get(list, store, `${list.param}=${cursor}`), list.param, `${from} cursor on ${list.name}`)
      }
      // The same list of another store (for deliveries: another webhook).
      const theirs = (await walk(list, other)).cursors[0]!
      expectRefused(await get(list, store, `${list.param}=${theirs}`), list.param, `another store's ${list.name} cursor`)
    }
  })
})
