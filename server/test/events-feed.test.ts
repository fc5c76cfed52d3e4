import { beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import type { Customer, ErrorResponse, Order, Product } from '@deskflow/shared'
import { newSortableId } from '../src/lib/ids'
import { useHarness, type ApiKeyFixture } from './helpers/harness'
import type { Receiver } from './helpers/receiver'

/**
 * The events feed: every event of the store, oldest first, with the payload its webhook
 * deliveries carry, each visible only to a key that may read its resource.
 */
const h = useHarness({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_ALLOW_HTTP: 'true' }, { deliveryWorker: true })

type FeedEvent = { id: string; type: string; timestamp: string; data: { id: string } }
type Page = { data: FeedEvent[]; nextCursor: string | null }

let receiver: Receiver
let customer: Customer
let product: Product
let order: Order
let ordersOnly: ApiKeyFixture

beforeAll(async () => {
  receiver = await h.receiver()
  await h.addWebhook(receiver.url, 'order.created')
  customer = await h.create<Customer>('/v1/customers', { email: 'feed@example.com', firstName: 'F', lastName: 'E' })
  product = await h.createProduct({ name: 'Feed mug', price: 700 })
  order = await h.createOrder(product.id)
  ordersOnly = await h.createKey(['read_orders'])
})

const feed = async (query = '', auth?: string) => {
  const res = await h.v1('GET', `/v1/events${query}`, undefined, auth)
  expect(res.statusCode, res.body).toBe(200)
  return res.json<Page>()
}

async function everything(query: string, auth?: string): Promise<FeedEvent[]> {
  const all: FeedEvent[] = []
  let cursor: string | null = null
  do {
    const page: Page = await feed(`?limit=1${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, auth)
    all.push(...page.data)
    cursor = page.nextCursor
  } while (cursor)
  return all
}

describe('the events feed', () => {
  it('lists every event oldest first, the same whether read in one page or one at a time', async () => {
    const { data, nextCursor } = await feed('?limit=100')
    expect(nextCursor).toBeNull()
    expect(data.map((e) => [e.type, e.data.id])).toEqual([
      ['customer.created', customer.id],
      ['product.created', product.id],
      ['order.created', order.id],
    ])
    expect(data.map((e) => e.id)).toEqual(data.map((e) => e.id).sort())
    expect(data[0]!.data).toEqual(customer)
    expect(await everything('')).toEqual(data)
  })

  it('gives each event with the very body its webhook delivery carried', async () => {
    const [delivered] = await receiver.waitFor(1)
    const body = JSON.parse(delivered!.body) as FeedEvent
    const res = await h.v1('GET', `/v1/events/${body.id}`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual(body)
    expect(body).toMatchObject({ type: 'order.created', data: { id: order.id } })
  })

  it('narrows by type and by time', async () => {
    expect((await feed('?type=order.created')).data.map((e) => e.data.id)).toEqual([order.id])
    const all = (await feed('?limit=100')).data
    const since = all[1]!.timestamp
    expect((await feed(`?created_since=${encodeURIComponent(since)}`)).data.map((e) => e.id)).toEqual(all.slice(1).map((e) => e.id))
  })

  it('shows a key only the events of resources it may read', async () => {
    expect((await everything('', ordersOnly.auth)).map((e) => e.type)).toEqual(['order.created'])
    const refused = await h.v1('GET', '/v1/events?type=customer.created', undefined, ordersOnly.auth)
    expect(refused.statusCode).toBe(403)
    expect(refused.json<ErrorResponse>().error.message).toContain('read_customers')
    const customerEvent = (await feed('?type=customer.created')).data[0]!
    const one = await h.v1('GET', `/v1/events/${customerEvent.id}`, undefined, ordersOnly.auth)
    expect(one.statusCode).toBe(403)
    expect(one.json<ErrorResponse>().error.message).toContain('read_customers')
    const writer = await h.createKey(['write_orders'])
    const none = await h.v1('GET', '/v1/events', undefined, writer.auth)
    expect(none.statusCode).toBe(403)
    expect(none.json<ErrorResponse>().error.message).toContain('read_orders')
  })

  it('refuses a cursor it did not issue for this store, an unknown type and an unknown event', async () => {
    const other = await h.newStore()
    await other.create('/v1/customers', { email: 'other-feed@example.com', firstName: 'O', lastName: 'F' })
    await other.create('/v1/customers', { email: 'other-feed-2@example.com', firstName: 'O', lastName: 'F' })
    const theirs = (await other.v1('GET', '/v1/events?limit=1')).json<Page>().nextCursor!
    for (const query of [`?cursor=${theirs}`, '?cursor=forged', '?type=order.exploded', '?created_since=yesterday']) {
      const res = await h.v1('GET', `/v1/events${query}`)
      expect(res.statusCode, query).toBe(422)
    }
    expect((await h.v1('GET', `/v1/events/${newSortableId('evt')}`)).statusCode).toBe(404)
    // Another store's event is not found either.
    const [their] = (await other.v1('GET', '/v1/events')).json<Page>().data
    expect((await h.v1('GET', `/v1/events/${their!.id}`)).statusCode).toBe(404)
  })

  it('forgets events past their retention, and keeps the rest', async () => {
    const old = newSortableId('evt', Date.now() - 40 * 86_400_000)
    await h.database.db.execute(
      sql`insert into events (id, store_id, type, data, created_at) values (${old}, ${h.storeId}, 'customer.created', ${JSON.stringify(customer)}::jsonb, now() - interval '40 days')`,
    )
    const before = (await feed('?limit=100')).data.map((e) => e.id)
    expect(before[0]).toBe(old)
    expect(await h.app.services.events.prune(new Date(Date.now() - 30 * 86_400_000))).toBe(1)
    expect((await feed('?limit=100')).data.map((e) => e.id)).toEqual(before.slice(1))
  })
})
