import net from 'node:net'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ErrorResponse } from '@deskflow/shared'
import { useHarness, type Method } from './helpers/harness'

/**
 * Errors raised by the framework or by Node's HTTP parser, before any handler, have
 * the documented shape and a request id like every other error; a wrong method on a
 * real path is a 405 naming the right ones; every 401 says how to authenticate.
 */
const h = useHarness()
let origin = ''

interface Operation {
  method: Method
  path: string
  admin: boolean
}
let operations: Operation[] = []

beforeAll(async () => {
  const doc = (await h.anonymous('GET', '/openapi.json')).json<{
    paths: Record<string, Record<string, { security?: Array<Record<string, unknown>> }>>
  }>()
  operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({
      method: method.toUpperCase() as Method,
      path,
      admin: (op.security ?? []).some((s) => 'cookieAuth' in s),
    })),
  )
  origin = await h.app.listen({ host: '127.0.0.1', port: 0 })
})

/** `/stores/{key}/api-keys/{id}` with values that route (the ids need not exist). */
const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'key' ? h.storeKey : `${name}_0`))

function expectErrorShape(body: string, code: string) {
  const parsed = JSON.parse(body) as ErrorResponse
  expect(parsed.error.code).toBe(code)
  expect(parsed.error.message.length).toBeGreaterThan(0)
  expect(parsed.error.requestId).toMatch(/^req_/)
}

/** Sends raw bytes over TCP and returns the whole answer. */
function raw(bytes: Buffer | string): Promise<string> {
  const { port } = new URL(origin)
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(bytes))
    let out = ''
    socket.on('data', (d) => (out += d.toString('latin1')))
    socket.on('end', () => resolve(out))
    socket.on('error', reject)
  })
}

describe('a wrong method on a real path', () => {
  it('answers 405 with Allow listing the methods the path serves, for every path of the document', async () => {
    const byPath = new Map<string, string[]>()
    for (const op of operations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op.method])
    expect(byPath.size).toBeGreaterThan(20)
    for (const [path, methods] of byPath) {
      const wrong = (['PUT', 'PATCH', 'DELETE', 'POST'] as const).find((m) => !methods.includes(m))!
      const res = await h.anonymous(wrong, concrete(path), undefined, { headers: { cookie: h.cookie, authorization: h.integrator } })
      expect(res.statusCode, `${wrong} ${path}: ${res.body}`).toBe(405)
      const allow = String(res.headers.allow).split(', ')
      for (const m of methods) expect(allow, `${path}`).toContain(m)
      expect(allow).not.toContain(wrong)
      expectErrorShape(res.body, 'method_not_allowed')
    }
  })

  it('still answers 404 for a path that does not exist at all', async () => {
    const res = await h.anonymous('DELETE', '/v1/nothing-here')
    expect(res.statusCode).toBe(404)
    expect(res.headers.allow).toBeUndefined()
  })
})

describe('401 answers', () => {
  it('every admin operation answers 401 with a WWW-Authenticate challenge (RFC 9110) when not signed in', async () => {
    const admin = operations.filter((op) => op.admin)
    expect(admin.length).toBeGreaterThan(15)
    for (const op of admin) {
      const res = await h.anonymous(op.method, concrete(op.path), '{}', { headers: { 'content-type': 'application/json' } })
      expect(res.statusCode, `${op.method} ${op.path}`).toBe(401)
      expect(res.headers['www-authenticate'], `${op.method} ${op.path}`).toMatch(/^Bearer realm="/)
      expectErrorShape(res.body, 'unauthorized')
    }
  })

  it('the integrator API keeps its Basic challenge', async () => {
    const res = await h.anonymous('GET', '/v1/products')
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm="/)
  })
})

describe('bodies the JSON parser refuses', () => {
  const post = (payload: string) => h.v1('POST', '/v1/categories', payload, { headers: { 'content-type': 'application/json' } })

  it.each(['{', '{"name":}', '[1,2', '{"__proto__":{"x":1}', '{"name":"a",}'])('broken JSON %s: 400 "not valid JSON"', async (body) => {
    const res = await post(body)
    expect(res.statusCode).toBe(400)
    expectErrorShape(res.body, 'bad_request')
    expect(res.json<ErrorResponse>().error.message).toBe('The body is not valid JSON')
  })

  it.each(['{"__proto__":{"x":1}}', '{"name":"a","constructor":{"prototype":{"x":1}}}', '[{"__proto__":{}}]'])(
    'valid JSON with a prototype key %s: 400 saying so, not "invalid JSON"',
    async (body) => {
      const res = await post(body)
      expect(res.statusCode).toBe(400)
      expectErrorShape(res.body, 'bad_request')
      expect(res.json<ErrorResponse>().error.message).toContain('__proto__')
    },
  )

  it('an empty body sent as JSON to a route that takes one is a 422 naming the body', async () => {
    const res = await post('')
    expect(res.statusCode).toBe(422)
    expectErrorShape(res.body, 'validation_failed')
  })
})

describe("requests Node's HTTP parser refuses", () => {
  it.each([
    ['a control byte in a header value', 'GET /v1/products HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n'],
    ['a NUL in a header value', 'GET /v1/products HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\n\r\n'],
    ['a malformed request line', 'GET /v1/products HTTP/9\r\nHost: x\r\n\r\n'],
    ['a header name with a space', 'GET /v1/products HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n'],
  ])('%s: 400 with the documented error shape and a request id', async (_name, request) => {
    const answer = await raw(Buffer.from(request, 'latin1'))
    const [head, body] = answer.split('\r\n\r\n')
    expect(head).toMatch(/^HTTP\/1\.1 400 /)
    expect(head).toMatch(/content-type: application\/json/i)
    expectErrorShape(body!, 'bad_request')
  })

  it('headers larger than Node accepts: 431 with the documented error shape', async () => {
    const answer = await raw(`GET /v1/products HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
    const [head, body] = answer.split('\r\n\r\n')
    expect(head).toMatch(/^HTTP\/1\.1 431 /)
    expectErrorShape(body!, 'bad_request')
  })
})
