import { beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import type { CreatedWebhook, DeliveryList, TestDeliveryResult } from '@deskflow/shared'
import { useTestApp, TEST_PASSWORD } from './helpers/app'
import { storeWithAdmin, type StoreFixture } from './helpers/integrator'

/**
 * The cross-store matrix: every admin route that takes an id, called by the admin of
 * another store, through their own store's path and through this store's path.
 * Always 404, nothing about the object in the answer, nothing changed.
 */
const t = useTestApp({ WEBHOOK_TIMEOUT_MS: '200' })
let mine: StoreFixture
let theirs: StoreFixture
const ids = { key: '', secretKey: '', webhook: '', delivery: '' }

beforeAll(async () => {
  mine = await storeWithAdmin(t)
  theirs = await storeWithAdmin(t)
  const k = await mine.createKey()
  ids.key = k.id
  ids.secretKey = k.key
  const hook = await t.app.inject({ method: 'POST', url: `/stores/${mine.storeKey}/webhooks`, headers: { cookie: mine.cookie }, payload: { url: 'https://hooks.example.com/x', event: 'order.created' } })
  ids.webhook = hook.json<CreatedWebhook>().id
  const test = await t.app.inject({ method: 'POST', url: `/stores/${mine.storeKey}/webhooks/${ids.webhook}/test`, headers: { cookie: mine.cookie } })
  ids.delivery = test.json<TestDeliveryResult>().deliveryId
  expect((await t.app.inject({ url: `/stores/${mine.storeKey}/webhooks/${ids.webhook}/deliveries`, headers: { cookie: mine.cookie } })).json<DeliveryList>().data).toHaveLength(1)
})

async function fingerprint() {
  const { rows } = await t.database.db.execute(
    sql.raw(`select concat_ws('|', (select count(*) from api_keys), (select max(updated_at) from api_keys), (select count(*) from webhooks), (select max(updated_at) from webhooks), (select count(*) from webhook_deliveries), (select max(updated_at) from webhook_deliveries), (select count(*) from audit_log where store_id = '${mine.storeId}')) as f`),
  )
  return (rows[0] as { f: string }).f
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'
const ROUTES: Array<[Method, string, object?]> = [
  ['GET', '/api-keys/{key}'],
  ['PATCH', '/api-keys/{key}', { activated: false }],
  ['DELETE', '/api-keys/{key}'],
  ['POST', '/api-keys/{key}/reveal', { password: TEST_PASSWORD }],
  ['POST', '/api-keys/{key}/regenerate-secret', {}],
  ['GET', '/usage?apiKeyId={key}'],
  ['GET', '/webhooks/{webhook}'],
  ['PATCH', '/webhooks/{webhook}', { status: 'paused' }],
  ['DELETE', '/webhooks/{webhook}'],
  ['POST', '/webhooks/{webhook}/test'],
  ['GET', '/webhooks/{webhook}/deliveries'],
  ['POST', '/webhooks/{webhook}/deliveries/{delivery}/redeliver'],
  ['POST', '/webhooks/{webhook}/replay', { since: '2026-01-01T00:00:00Z' }],
  ['POST', '/webhooks/{webhook}/reveal-secret', { password: TEST_PASSWORD }],
  ['POST', '/webhooks/{webhook}/rotate-secret'],
]

describe('the cross-store matrix', () => {
  it.each(ROUTES.flatMap(([method, path, body]) => [['their own store', method, path, body] as const, ['this store', method, path, body] as const]))(
    "another store's admin, via %s: %s %s answers 404 and changes nothing",
    async (via, method, path, body) => {
      const storeKey = via === 'this store' ? mine.storeKey : theirs.storeKey
      const url = `/stores/${storeKey}${path.replace('{key}', ids.key).replace('{webhook}', ids.webhook).replace('{delivery}', ids.delivery)}`
      const before = await fingerprint()
      const res = await t.app.inject({ method, url, headers: { cookie: theirs.cookie }, ...(body && { payload: body }) })
      expect(res.statusCode, `${method} ${url}`).toBe(404)
      expect(res.json<{ error: { code: string } }>().error.code).toBe('not_found')
      for (const secretish of [ids.secretKey, 'https://hooks.example.com/x', ids.delivery]) expect(res.body).not.toContain(secretish)
      expect(await fingerprint()).toBe(before)
    },
  )
})
