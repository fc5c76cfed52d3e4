import { beforeAll, expect } from 'vitest'
import type { LightMyRequestResponse } from 'fastify'
import {
  PERMISSIONS,
  type CreatedApiKey,
  type CreatedWebhook,
  type Delivery,
  type DeliveryList,
  type Order,
  type Permission,
  type Product,
} from '@deskflow/shared'
import { CSRF, useTestApp, type TestAppOptions, type TestContext, type TestEnv } from './app'
import { basic } from './integrator'
import { useReceivers, type Receiver, type startReceiver } from './receiver'

/*
 * What a server test file starts from: the real app on a fresh database (`useTestApp`),
 * a store with a signed-in admin and an API key with every permission, and requests
 * to it as that admin, as that key or as nobody. A file states what it proves; how the
 * app is booted and reached lives here.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
/** A JSON body (an object), or the raw text of one. */
export type Body = unknown
export type Answer = LightMyRequestResponse
export interface RequestOptions {
  headers?: Record<string, string>
  remoteAddress?: string
}
export interface IntegratorOptions extends RequestOptions {
  /** The Authorization header; the store's own key when absent. */
  auth?: string
}
export type ApiKeyFixture = CreatedApiKey & { auth: string }

export interface StoreFixture {
  storeKey: string
  storeId: string
  /** The store's admin, who signed in as `cookie`. */
  email: string
  cookie: string
  /** The key the store's integrator calls make by default: every permission. */
  integratorKey: ApiKeyFixture
  /** Its Authorization header. */
  integrator: string
  /** An admin route of this store (`path` follows `/stores/<key>`), signed in with the cookie and the CSRF header. */
  admin(method: Method, path: string, body?: Body, options?: RequestOptions): Promise<Answer>
  /** Any URL, signed in as this store's admin (the cookie and the CSRF header). */
  signedIn(method: Method, url: string, body?: Body, options?: RequestOptions): Promise<Answer>
  /** The integrator API, as the store's key unless another Authorization (or options) is given. */
  v1(method: Method, url: string, body?: Body, as?: string | IntegratorOptions): Promise<Answer>
  /** Creates a key through the admin API, as the web app does. */
  createKey(permissions?: readonly Permission[], extra?: Record<string, unknown>): Promise<ApiKeyFixture>
  /** POSTs to the integrator API as the store's key; the created object (answered 201). */
  create<T>(url: string, body: object): Promise<T>
  createProduct(body?: object): Promise<Product>
  createOrder(productId: string, quantity?: number): Promise<Order>
  /** `events`: one event type or several (default `order.created`). */
  addWebhook(url: string, events?: string | string[]): Promise<CreatedWebhook>
  /** The webhook's delivery log, newest first (up to 100). */
  deliveries(webhookId: string): Promise<Delivery[]>
}

export interface Harness extends TestContext, StoreFixture {
  /** Another store with its own admin, signed in, and its own key. */
  newStore(): Promise<StoreFixture>
  /** A request without credentials (or with only those in `options.headers`). */
  anonymous(method: Method, url: string, body?: Body, options?: RequestOptions): Promise<Answer>
  /** A real HTTP receiver on 127.0.0.1, closed after the file. */
  receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver>
}

type StoreMethods = 'admin' | 'signedIn' | 'v1' | 'createKey' | 'create' | 'createProduct' | 'createOrder' | 'addWebhook' | 'deliveries'

/**
 * The app (see `useTestApp` for `env` and `options`), a store, its admin and its key,
 * for one test file (or describe block). The methods may be taken from it at once
 * (`const { v1 } = h`); the store's fields are there from the first test on.
 */
export function useHarness(env: TestEnv = {}, options: TestAppOptions = {}): Harness {
  const t = useTestApp(env, options)
  const inject = (
    method: Method,
    url: string,
    headers: Record<string, string>,
    body?: Body,
    { remoteAddress, ...options }: RequestOptions = {},
  ) =>
    t.app.inject({
      method,
      url,
      headers: { ...headers, ...options.headers },
      ...(remoteAddress && { remoteAddress }),
      ...(body !== undefined && { payload: body as object | string }),
    })

  async function newStore(): Promise<StoreFixture> {
    const admin = await t.createAdmin()
    const store = await t.createStore(undefined, [admin.id])
    const cookie = await t.login(admin.email)
    const signedIn: StoreFixture['signedIn'] = (method, url, body, options) => inject(method, url, { cookie, ...CSRF }, body, options)
    const adminRoute: StoreFixture['admin'] = (method, path, body, options) =>
      signedIn(method, `/stores/${store.key}${path}`, body, options)
    async function createKey(permissions: readonly Permission[] = PERMISSIONS, extra: Record<string, unknown> = {}) {
      const res = await adminRoute('POST', '/api-keys', { description: 'test key', permissions, ...extra })
      if (res.statusCode !== 201) throw new Error(`createKey: ${res.statusCode} ${res.body}`)
      const key = res.json<CreatedApiKey>()
      return { ...key, auth: basic(key.key, key.secret) }
    }
    const integratorKey = await createKey()
    const v1: StoreFixture['v1'] = (method, url, body, as = {}) => {
      const { auth = integratorKey.auth, ...rest } = typeof as === 'string' ? { auth: as } : as
      return inject(method, url, { authorization: auth }, body, rest)
    }
    async function create<T>(url: string, body: object): Promise<T> {
      const res = await v1('POST', url, body)
      expect(res.statusCode, `POST ${url}: ${res.body}`).toBe(201)
      return res.json<T>()
    }
    return {
      storeKey: store.key,
      storeId: store.id,
      email: admin.email,
      cookie,
      integratorKey,
      integrator: integratorKey.auth,
      admin: adminRoute,
      signedIn,
      v1,
      createKey,
      create,
      createProduct: (body = { name: 'Mug', price: 1250 }) => create<Product>('/v1/products', body),
      createOrder: (productId, quantity = 1) => create<Order>('/v1/orders', { lineItems: [{ productId, quantity }] }),
      async addWebhook(url, events = 'order.created') {
        const res = await adminRoute('POST', '/webhooks', { url, events: Array.isArray(events) ? events : [events] })
        expect(res.statusCode, res.body).toBe(201)
        return res.json<CreatedWebhook>()
      },
      async deliveries(webhookId) {
        return (await adminRoute('GET', `/webhooks/${webhookId}/deliveries?limit=100`)).json<DeliveryList>().data
      },
    }
  }

  // The first store's methods stand ready before it exists: they call it once it does.
  let primary: StoreFixture
  const methods: Pick<Harness, StoreMethods | 'newStore' | 'anonymous' | 'receiver'> = {
    admin: (...args) => primary.admin(...args),
    signedIn: (...args) => primary.signedIn(...args),
    v1: (...args) => primary.v1(...args),
    createKey: (...args) => primary.createKey(...args),
    create: <T>(url: string, body: object) => primary.create<T>(url, body),
    createProduct: (...args) => primary.createProduct(...args),
    createOrder: (...args) => primary.createOrder(...args),
    addWebhook: (...args) => primary.addWebhook(...args),
    deliveries: (...args) => primary.deliveries(...args),
    newStore,
    anonymous: (method, url, body, options) => inject(method, url, {}, body, options),
    receiver: useReceivers(async () => (await t.app.inject('/openapi.json')).json()),
  }
  const h = Object.assign(t, methods) as Harness
  beforeAll(async () => {
    primary = await newStore()
    const { storeKey, storeId, email, cookie, integratorKey, integrator } = primary
    Object.assign(h, { storeKey, storeId, email, cookie, integratorKey, integrator })
  })
  return h
}

/** Reads until `ok` holds, every 50 ms; fails with the last value read after `timeoutMs`. */
export async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (ok(value)) return value
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 800)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export { CSRF, TEST_PASSWORD } from './app'
