import { beforeAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import type { ErrorResponse } from '@deskflow/shared'
import { webhooks } from '../src/db/schema'
import { CSRF, TEST_PASSWORD, useHarness, type Method } from './helpers/harness'

/**
 * Cross-site request forgery: what a page on another site (or another port of the same
 * host, which SameSite cookies count as the same site) can make a signed-in browser send
 * without a CORS preflight (forms, no-cors fetches: the cookie and no custom header)
 * changes nothing. Bearer callers and the integrator API are not concerned.
 */
const h = useHarness({ LOGIN_RATE_LIMIT: '1000', LOGIN_RATE_LIMIT_PER_ADDRESS: '1000' })
/** An admin whose sessions sign-in and sign-out may start and end. */
let email: string
type Operations = Record<string, Record<string, unknown>>
let paths: Operations = {}

interface Route {
  method: Method
  path: string
}

/** The operations of the OpenAPI document that are not reads, under the integrator API or outside it. */
function changingRoutes(integrator: boolean): Route[] {
  return Object.entries(paths)
    .filter(([path]) => path.startsWith('/v1/') === integrator)
    .flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((m) => !['get', 'head', 'options'].includes(m))
        .map((m) => ({ method: m.toUpperCase() as Method, path })),
    )
}
let changing: Route[] = []

beforeAll(async () => {
  email = (await h.createAdmin()).email
  paths = (await h.anonymous('GET', '/openapi.json')).json<{ paths: Operations }>().paths
  changing = changingRoutes(false)
})

/** The route's URL in this test's store; every other id is one that does not exist (nothing is touched). */
function urlOf(route: Route): string {
  return route.path.replace('{key}', h.storeKey).replace(/\{(\w+)\}/g, (_, name: string) => `${name}_doesnotexist00000000`)
}

function send(route: Route, headers: Record<string, string>) {
  return h.anonymous(route.method, urlOf(route), undefined, { headers })
}

/** The error code, if the answer is an error (sign-out answers 204 without a body). */
const code = (res: { body: string }) => (res.body ? (JSON.parse(res.body) as Partial<ErrorResponse>).error?.code : undefined)

describe('the routes this covers', () => {
  it('are taken from the OpenAPI document: every admin and session route that changes something', () => {
    const names = changing.map((r) => `${r.method} ${r.path}`)
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /auth/login',
        'POST /auth/logout',
        'POST /stores/{key}/api-keys',
        'PATCH /stores/{key}/api-keys/{id}',
        'DELETE /stores/{key}/api-keys/{id}',
        'POST /stores/{key}/api-keys/{id}/regenerate-secret',
        'POST /stores/{key}/webhooks/{id}/rotate-secret',
        'DELETE /stores/{key}/webhooks/{id}',
      ]),
    )
    expect(changing.length).toBeGreaterThanOrEqual(15)
  })

  it('no route answers a CORS preflight: the server grants no other origin anything', async () => {
    for (const route of changing) {
      const res = await h.app.inject({
        method: 'OPTIONS',
        url: urlOf(route),
        headers: {
          origin: 'http://127.0.0.1:4000',
          'access-control-request-method': route.method,
          'access-control-request-headers': 'deskflow-csrf',
        },
      })
      // The path exists, so OPTIONS is a method it does not serve: 405 with Allow, and no CORS grant.
      expect(res.statusCode, `${route.method} ${route.path}`).toBe(405)
      expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).toEqual([])
    }
  })
})

describe('the session cookie alone', () => {
  it('cannot change anything: every such route answers 403 forbidden, naming the header to send', async () => {
    for (const route of changing) {
      const res = await send(route, { cookie: h.cookie })
      expect(res.statusCode, `${route.method} ${route.path}`).toBe(403)
      expect(code(res)).toBe('forbidden')
      expect(res.json<ErrorResponse>().error.message).toContain('Deskflow-CSRF: 1')
      expect(res.json<ErrorResponse>().error.requestId).toMatch(/^req_/)
    }
  })

  it('nor with a form or text body (the content types a form can send)', async () => {
    for (const route of changing) {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const res = await h.anonymous(route.method, urlOf(route), 'a=b', { headers: { cookie: h.cookie, 'content-type': type } })
        expect(res.statusCode, `${route.method} ${route.path} ${type}`).toBe(403)
      }
    }
  })

  it('still reads: GET is not refused', async () => {
    const res = await h.anonymous('GET', `/stores/${h.storeKey}/api-keys`, undefined, { headers: { cookie: h.cookie } })
    expect(res.statusCode).toBe(200)
  })

  it('a bodiless POST that would rotate a webhook secret leaves it as it was; with the header it rotates', async () => {
    const hook = await h.addWebhook('https://hooks.example.com/csrf')
    const secretOf = async () =>
      (await h.database.db.select({ s: webhooks.secretCiphertext }).from(webhooks).where(eq(webhooks.id, hook.id)))[0]!.s
    const before = await secretOf()
    const url = `/stores/${h.storeKey}/webhooks/${hook.id}/rotate-secret`
    expect((await h.anonymous('POST', url, undefined, { headers: { cookie: h.cookie } })).statusCode).toBe(403)
    expect(await secretOf()).toBe(before)
    expect((await h.signedIn('POST', url)).statusCode).toBe(200)
    expect(await secretOf()).not.toBe(before)
  })
})

describe('what passes the check', () => {
  /** Logout (and login) start or end sessions: each case gets a session of its own. */
  async function cookieFor(route: Route) {
    return route.path.startsWith('/auth/') ? h.login(email) : h.cookie
  }

  it('the cookie with the Deskflow-CSRF header', async () => {
    for (const route of changing) {
      const res = await send(route, { cookie: await cookieFor(route), ...CSRF })
      expect(res.statusCode, `${route.method} ${route.path}: ${res.body}`).not.toBe(403)
    }
  })

  it('the cookie from a browser that marks the request same-origin, or started by the user (Sec-Fetch-Site: none)', async () => {
    for (const site of ['same-origin', 'none']) {
      for (const route of changing) {
        const res = await send(route, { cookie: await cookieFor(route), 'sec-fetch-site': site })
        expect(res.statusCode, `${site} ${route.method} ${route.path}: ${res.body}`).not.toBe(403)
      }
    }
  })

  it('a Bearer token, without the header, with or without the cookie, whatever Sec-Fetch-Site says', async () => {
    for (const route of changing) {
      const token = (await cookieFor(route)).slice('df_session='.length)
      const extras: Array<Record<string, string>> = [{}, { cookie: h.cookie }, { 'sec-fetch-site': 'cross-site' }]
      for (const extra of extras) {
        const res = await send(route, { authorization: `Bearer ${token}`, ...extra })
        expect(res.statusCode, `${route.method} ${route.path} ${JSON.stringify(extra)}: ${res.body}`).not.toBe(403)
      }
    }
  })

  it('no credentials at all: the answer is the usual 401 (or, for sign-in, a validation error), not 403', async () => {
    for (const route of changing) {
      const res = await send(route, {})
      expect(res.statusCode, `${route.method} ${route.path}`).not.toBe(403)
    }
  })

  it('the integrator API (HTTP Basic, which a browser may attach by itself), even with a session cookie and a cross-site mark', async () => {
    const res = await h.v1(
      'POST',
      '/v1/categories',
      { name: 'From an integration' },
      { headers: { cookie: h.cookie, 'sec-fetch-site': 'cross-site' } },
    )
    expect(res.statusCode).toBe(201)
  })
})

describe('credentials a browser attaches by itself', () => {
  it('a remembered HTTP Basic login (a proxy in front, say) does not stand in for the header: the cookie still signs in', async () => {
    for (const route of changing) {
      const res = await send(route, { cookie: h.cookie, authorization: 'Basic cHJveHk6cGFzc3dvcmQ=' })
      expect(res.statusCode, `${route.method} ${route.path}`).toBe(403)
    }
  })

  it('the integrator API takes only JSON bodies, so a form or no-cors fetch with remembered Basic credentials changes nothing', async () => {
    const integrator = changingRoutes(true)
    expect(integrator.length).toBeGreaterThanOrEqual(12)
    for (const route of integrator) {
      // PATCH and DELETE need a preflight: a page cannot send them at all.
      if (route.method !== 'POST') continue
      const url = route.path
      expect((await h.v1('POST', url)).statusCode, url).toBe(422)
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const res = await h.v1('POST', url, '{"name":"x"}', { headers: { 'content-type': type } })
        expect(res.statusCode, `${url} ${type}`).toBe(415)
      }
    }
  })
})

describe('a request the browser marks as sent from another origin', () => {
  it('is refused even with the header (Sec-Fetch-Site: cross-site or same-site)', async () => {
    for (const site of ['cross-site', 'same-site']) {
      for (const route of changing) {
        const res = await send(route, { cookie: h.cookie, ...CSRF, 'sec-fetch-site': site })
        expect(res.statusCode, `${site} ${route.method} ${route.path}`).toBe(403)
        expect(code(res)).toBe('forbidden')
        expect(res.json<ErrorResponse>().error.message).toContain(`Sec-Fetch-Site: ${site}`)
      }
    }
  })

  it('a forged sign-in is refused too, even without a cookie (login CSRF)', async () => {
    const res = await h.anonymous('POST', '/auth/login', { email, password: TEST_PASSWORD }, { headers: { 'sec-fetch-site': 'same-site' } })
    expect(res.statusCode).toBe(403)
    expect(res.cookies).toHaveLength(0)
  })
})
