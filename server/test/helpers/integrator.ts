import type { CreatedApiKey, Permission } from '@deskflow/shared'
import { PERMISSIONS } from '@deskflow/shared'
import { CSRF, type TestContext } from './app'

export const basic = (key: string, secret: string) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`

export interface StoreFixture {
  storeKey: string
  storeId: string
  cookie: string
  /** Creates a key through the admin API, as the web app does. */
  createKey(permissions?: readonly Permission[], extra?: Record<string, unknown>): Promise<CreatedApiKey & { auth: string }>
}

export async function storeWithAdmin(t: TestContext): Promise<StoreFixture> {
  const admin = await t.createAdmin()
  const store = await t.createStore(undefined, [admin.id])
  const cookie = await t.login(admin.email)
  return {
    storeKey: store.key,
    storeId: store.id,
    cookie,
    async createKey(permissions = PERMISSIONS, extra = {}) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/stores/${store.key}/api-keys`,
        headers: { cookie, ...CSRF },
        payload: { description: 'test key', permissions, ...extra },
      })
      if (res.statusCode !== 201) throw new Error(`createKey: ${res.statusCode} ${res.body}`)
      const key = res.json<CreatedApiKey>()
      return { ...key, auth: basic(key.key, key.secret) }
    },
  }
}
