import { expect } from 'vitest'
import type { CreatedApiKey, CreatedWebhook, LoginResponse, Product } from '@deskflow/shared'
import { randomBase62 } from '../../src/lib/ids'
import { basic } from './integrator'

/*
 * A running server (`node server/dist/main.js`) reached over HTTP at `base`
 * (http://127.0.0.1:port), as an admin's script and an integration reach it.
 */

/** The first admin a server started with `ADMIN_ENV` creates (with the store `demo`). */
export const ADMIN = { email: 'admin@example.com', password: 'a long test admin password' }
export const ADMIN_ENV = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }

/** What a server needs to run on `databaseUrl` with that admin; each call makes a new secret key. */
export const serverEnv = (databaseUrl: string) => ({ DATABASE_URL: databaseUrl, SECRET_KEY: randomBase62(48), ...ADMIN_ENV })

const JSON_TYPE = { 'content-type': 'application/json' }

const send = (base: string, headers: Record<string, string>, method: string, path: string, body?: unknown) =>
  fetch(`${base}${path}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) })

async function created<T>(res: Response): Promise<T> {
  const text = await res.text()
  expect(res.status, text).toBe(201)
  return JSON.parse(text) as T
}

export interface RemoteAdmin {
  /** With the session as a Bearer token, and a JSON body. */
  request(method: string, path: string, body?: unknown): Promise<Response>
  /** A key of the store (`demo`, the one the server seeds, by default). */
  createKey(body: Record<string, unknown>, store?: string): Promise<CreatedApiKey>
  addWebhook(url: string, event?: string, store?: string): Promise<CreatedWebhook>
}

/** Signs in through the real route (answered 200) and acts with the session as a Bearer token. */
export async function signIn(base: string, { email, password } = ADMIN): Promise<RemoteAdmin> {
  const login = await send(base, JSON_TYPE, 'POST', '/auth/login', { email, password })
  expect(login.status).toBe(200)
  const { token } = (await login.json()) as LoginResponse
  const headers = { ...JSON_TYPE, authorization: `Bearer ${token}` }
  const request = (method: string, path: string, body?: unknown) => send(base, headers, method, path, body)
  return {
    request,
    createKey: async (body, store = 'demo') => created<CreatedApiKey>(await request('POST', `/stores/${store}/api-keys`, body)),
    addWebhook: async (url, event = 'order.created', store = 'demo') =>
      created<CreatedWebhook>(await request('POST', `/stores/${store}/webhooks`, { url, events: [event] })),
  }
}

export interface RemoteIntegrator {
  /** With the key's HTTP Basic credentials, and a JSON body. */
  request(method: string, path: string, body?: unknown): Promise<Response>
  /** The store's products (the first 100). */
  products(): Promise<Product[]>
  order(productId: string, quantity?: number): Promise<Response>
}

export function asIntegrator(base: string, key: { key: string; secret: string }): RemoteIntegrator {
  const headers = { ...JSON_TYPE, authorization: basic(key.key, key.secret) }
  const request = (method: string, path: string, body?: unknown) => send(base, headers, method, path, body)
  return {
    request,
    async products() {
      const res = await request('GET', '/v1/products?limit=100')
      expect(res.status).toBe(200)
      return ((await res.json()) as { data: Product[] }).data
    },
    order: (productId, quantity = 1) => request('POST', '/v1/orders', { lineItems: [{ productId, quantity }] }),
  }
}
