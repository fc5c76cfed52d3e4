import { vi } from 'vitest'
import {
  RATE_LIMIT_DEFAULT,
  type ApiKey,
  type CreatedApiKey,
  type Delivery,
  type DeliveryAttempt,
  type ErrorCode,
  type ErrorDetail,
  type Webhook,
} from '@deskflow/shared'

export interface StubRequest {
  method: string
  path: string
  query: Record<string, string>
  body: unknown
}

type Reply = Response | Promise<Response>
type Handler = (request: StubRequest) => Reply

export function json(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  if (status === 204) return new Response(null, { status })
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })
}

export function apiError(status: number, code: ErrorCode, message: string, details?: ErrorDetail[]): Response {
  return json(status, { error: { code, message, requestId: 'req_test', ...(details ? { details } : {}) } })
}

/** A Response that never settles, to hold a page in its loading state. */
export function never(): Promise<Response> {
  return new Promise(() => undefined)
}

/**
 * Stubs `fetch` with a route table such as `{ 'GET /stores': () => json(200, …) }`.
 * Unknown routes fail loudly; every call is recorded in `calls`.
 */
export function stubFetch(routes: Record<string, Handler>) {
  const calls: StubRequest[] = []
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost')
    const method = (init?.method ?? 'GET').toUpperCase()
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined
    const request = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), body }
    calls.push(request)
    const handler = routes[`${method} ${url.pathname}`]
    if (!handler) return apiError(500, 'internal', `No stub for ${method} ${url.pathname}`)
    return handler(request)
  })
  vi.stubGlobal('fetch', fetchMock)
  return {
    calls,
    callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  }
}

export function unreachable(): Promise<Response> {
  return Promise.reject(new TypeError('Failed to fetch'))
}

let seq = 0
export function makeApiKey(overrides: Partial<ApiKey> = {}): ApiKey {
  seq += 1
  return {
    id: `key_test${seq}`,
    description: 'Mobile App Integration',
    key: 'dfk_2Xq9LmPz7Rt4Vb8Nc1Kd6Hs03F9a',
    secretLast4: 'Wx7Q',
    permissions: ['read_orders', 'write_orders'],
    activated: true,
    previousSecretExpiresAt: null,
    expiresAt: null,
    allowedIps: [],
    rateLimitPerMinute: RATE_LIMIT_DEFAULT,
    lastUsedAt: null,
    lastUsedIp: null,
    secretCreatedAt: '2026-11-20T10:00:00.000Z',
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    ...overrides,
  }
}

export const ADMIN = { admin: { id: 'adm_test', email: 'admin@example.com' }, passwordChangeRequired: false }
export const STORES = { data: [{ key: 'demo', name: 'Demo Store', role: 'owner' }] }

/** The routes every page inside a store needs, plus the key list. */
export function storeRoutes(list: Handler): Record<string, Handler> {
  return {
    'GET /auth/me': () => json(200, ADMIN),
    'GET /stores': () => json(200, STORES),
    'GET /stores/demo/api-keys': list,
  }
}

export function makeWebhook(overrides: Partial<Webhook> = {}): Webhook {
  seq += 1
  return {
    id: `wh_test${seq}`,
    url: 'https://your-server.com/webhook',
    events: ['order.created'],
    status: 'active',
    disabledReason: null,
    secretLast4: 'Sg9Z',
    previousSecretExpiresAt: null,
    failingSince: null,
    lastDelivery: null,
    heldCount: 0,
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    ...overrides,
  }
}

export function makeAttempt(overrides: Partial<DeliveryAttempt> = {}): DeliveryAttempt {
  return {
    number: 1,
    at: '2026-11-20T10:05:00.000Z',
    requestHeaders: { 'content-type': 'application/json', 'webhook-id': 'msg_test', 'webhook-signature': 'v1,c2lnbmF0dXJl' },
    requestBody: '{"type":"order.created","data":{"id":"ord_1"}}',
    statusCode: 200,
    responseHeaders: { 'content-type': 'text/plain' },
    responseBody: 'ok',
    responseTruncated: false,
    durationMs: 42,
    error: null,
    ...overrides,
  }
}

export function makeDelivery(overrides: Partial<Delivery> = {}): Delivery {
  seq += 1
  return {
    id: `whd_test${seq}`,
    messageId: `msg_test${seq}`,
    eventId: `evt_test${seq}`,
    eventType: 'order.created',
    status: 'succeeded',
    test: false,
    attemptCount: 1,
    nextAttemptAt: null,
    payload: { type: 'order.created', data: { id: 'ord_1' } },
    attempts: [makeAttempt()],
    createdAt: '2026-11-20T10:05:00.000Z',
    updatedAt: '2026-11-20T10:05:00.000Z',
    ...overrides,
  }
}

/** The routes every page inside a store needs, plus the webhook list. */
export function webhookStoreRoutes(list: () => Reply): Record<string, Handler> {
  return {
    'GET /auth/me': () => json(200, ADMIN),
    'GET /stores': () => json(200, STORES),
    'GET /stores/demo/webhooks': list,
  }
}

/** A freshly created key as the create endpoint answers it (the secret shown once). */
export const CREATED_KEY: CreatedApiKey = {
  id: 'key_new1',
  description: 'ERP',
  key: 'dfk_NewKey000000000000000000AbCd',
  secret: 'dfs_NewSecret0000000000000000000000000000000000WxYz',
  permissions: [],
  activated: true,
  expiresAt: null,
  allowedIps: [],
  rateLimitPerMinute: 600,
}
