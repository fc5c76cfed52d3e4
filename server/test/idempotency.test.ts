import { beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import type { ErrorResponse, Order, Product } from '@deskflow/shared'
import { requestHash } from '../src/features/integrator/idempotent'
import { useHarness } from './helpers/harness'
import type { Receiver } from './helpers/receiver'

/**
 * `Idempotency-Key` on integrator writes: a retry gets the first answer, byte for byte,
 * and changes nothing; the same key with another body is refused; concurrent copies make
 * one object and one webhook delivery.
 */
const h = useHarness({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_ALLOW_HTTP: 'true' }, { deliveryWorker: true })

let product: Product
let receiver: Receiver
let n = 0
const customer = () => ({ email: `idem-${++n}@example.com`, firstName: 'I', lastName: 'D' })
const withKey = (key: string, auth = h.integrator) => ({ auth, headers: { 'idempotency-key': key } })
const count = async (table: 'customers' | 'orders' | 'events', where = sql`true`) =>
  (await h.database.db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)} where ${where}`)).rows[0]!.n

beforeAll(async () => {
  product = await h.createProduct({ name: 'Idempotent mug', price: 900 })
  receiver = await h.receiver()
  await h.addWebhook(receiver.url, 'order.created')
})

describe('Idempotency-Key', () => {
  it('replays the first answer byte for byte and creates nothing more', async () => {
    const body = customer()
    const first = await h.v1('POST', '/v1/customers', body, withKey('retry-1'))
    expect(first.statusCode).toBe(201)
    expect(first.headers['idempotency-replayed']).toBeUndefined()
    const events = await count('events')
    // The same body with its keys in another order is the same request.
    const reordered = { lastName: body.lastName, email: body.email, firstName: body.firstName }
    for (const again of [body, reordered]) {
      const retry = await h.v1('POST', '/v1/customers', again, withKey('retry-1'))
      expect(retry.statusCode).toBe(201)
      expect(retry.headers['idempotency-replayed']).toBe('true')
      expect(retry.headers['content-type']).toBe(first.headers['content-type'])
      expect(retry.body).toBe(first.body)
    }
    expect(await count('customers', sql`email = ${body.email}`)).toBe(1)
    expect(await count('events')).toBe(events)
  })

  it('refuses the same key with another body (422 naming it), and changes nothing', async () => {
    await h.v1('POST', '/v1/customers', customer(), withKey('reused'))
    const other = customer()
    const res = await h.v1('POST', '/v1/customers', other, withKey('reused'))
    expect(res.statusCode).toBe(422)
    expect(res.json<ErrorResponse>().error.details?.[0]?.field).toBe('Idempotency-Key')
    expect(await count('customers', sql`email = ${other.email}`)).toBe(0)
  })

  it('keeps keys apart per API key, and accepts the header on updates', async () => {
    const other = await h.createKey()
    const a = await h.v1('POST', '/v1/customers', customer(), withKey('shared-text'))
    const b = await h.v1('POST', '/v1/customers', customer(), withKey('shared-text', other.auth))
    expect([a.statusCode, b.statusCode]).toEqual([201, 201])
    const id = a.json<{ id: string }>().id
    const first = await h.v1('PATCH', `/v1/customers/${id}`, { phone: '+1 555 0101' }, withKey('update-1'))
    expect(first.statusCode).toBe(200)
    await h.v1('PATCH', `/v1/customers/${id}`, { phone: '+1 555 0199' })
    const replay = await h.v1('PATCH', `/v1/customers/${id}`, { phone: '+1 555 0101' }, withKey('update-1'))
    expect(replay.headers['idempotency-replayed']).toBe('true')
    expect(replay.body).toBe(first.body)
    // A replay changed nothing: the later update stands.
    expect((await h.v1('GET', `/v1/customers/${id}`)).json()).toMatchObject({ phone: '+1 555 0199' })
  })

  it('makes one order and one webhook delivery of 20 concurrent identical requests', async () => {
    const before = await count('orders')
    const body = { lineItems: [{ productId: product.id, quantity: 1 }], note: 'concurrent retry' }
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.v1('POST', '/v1/orders', body, withKey('burst-1'))))
    const codes = answers.map((a) => a.statusCode)
    expect(
      codes.every((c) => c === 201 || c === 409),
      codes.join(','),
    ).toBe(true)
    const created = answers.filter((a) => a.statusCode === 201)
    expect(created.length).toBeGreaterThanOrEqual(1)
    expect(new Set(created.map((a) => a.body)).size).toBe(1)
    for (const a of answers.filter((a) => a.statusCode === 409)) expect(a.json<ErrorResponse>().error.code).toBe('conflict')
    expect(await count('orders')).toBe(before + 1)
    const order = created[0]!.json<Order>()
    // Every retry after the first finished gets the same order.
    const late = await h.v1('POST', '/v1/orders', body, withKey('burst-1'))
    expect(late.json<Order>().id).toBe(order.id)
    await receiver.waitFor(1)
    await new Promise((r) => setTimeout(r, 500))
    const deliveries = receiver.received.filter((r) => (JSON.parse(r.body) as { data: Order }).data.id === order.id)
    expect(deliveries).toHaveLength(1)
  })

  it('lets the key be used again when the write failed, and after a process died mid-write', async () => {
    const taken = customer()
    await h.create('/v1/customers', taken)
    const failed = await h.v1('POST', '/v1/customers', taken, withKey('after-failure'))
    expect(failed.statusCode).toBe(409)
    const fixed = await h.v1('POST', '/v1/customers', customer(), withKey('after-failure'))
    expect(fixed.statusCode).toBe(201)
    // A claim left by a process that died: still running, its write never committed. Its
    // request is refused (409) until the claim ends, then taken over and written once.
    const orphan = customer()
    await h.database.db.execute(
      sql`insert into idempotency_keys (api_key_id, key, request_hash, status, locked_until)
          values (${h.integratorKey.id}, 'orphan', ${requestHash('POST', '/v1/customers', orphan)}, 'running', now() + interval '1 hour')`,
    )
    expect((await h.v1('POST', '/v1/customers', orphan, withKey('orphan'))).statusCode).toBe(409)
    expect((await h.v1('POST', '/v1/customers', customer(), withKey('orphan'))).statusCode).toBe(422)
    await h.database.db.execute(sql`update idempotency_keys set locked_until = now() - interval '1 second' where key = 'orphan'`)
    const takenOver = await h.v1('POST', '/v1/customers', orphan, withKey('orphan'))
    expect(takenOver.statusCode).toBe(201)
    expect((await h.v1('POST', '/v1/customers', orphan, withKey('orphan'))).body).toBe(takenOver.body)
    expect(await count('customers', sql`email = ${orphan.email}`)).toBe(1)
  })

  it('forgets keys after 24 hours', async () => {
    await h.v1('POST', '/v1/customers', customer(), withKey('old-key'))
    await h.database.db.execute(sql`update idempotency_keys set created_at = now() - interval '25 hours' where key = 'old-key'`)
    expect((await h.v1('POST', '/v1/customers', customer(), withKey('old-key'))).statusCode).toBe(201)
    await h.database.db.execute(sql`update idempotency_keys set created_at = now() - interval '25 hours' where key = 'old-key'`)
    expect(await h.app.services.idempotency.prune()).toBeGreaterThanOrEqual(1)
    expect((await h.database.db.execute(sql`select 1 from idempotency_keys where key = 'old-key'`)).rows).toHaveLength(0)
  })

  it('refuses a key longer than 255 characters with 422 naming the header, creating nothing', async () => {
    const body = customer()
    const res = await h.v1('POST', '/v1/customers', body, withKey('k'.repeat(256)))
    expect(res.statusCode).toBe(422)
    expect(res.json<ErrorResponse>().error.details?.[0]?.field).toBe('idempotency-key')
    expect(await count('customers', sql`email = ${body.email}`)).toBe(0)
  })
})
