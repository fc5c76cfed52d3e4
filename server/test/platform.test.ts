import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { PERMISSIONS } from '@deskflow/shared'
import { useHarness } from './helpers/harness'

const webDist = mkdtempSync(path.join(os.tmpdir(), 'deskflow-web-'))
writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>Deskflow</title><div id="root"></div>')
const h = useHarness({ WEB_DIST: webDist })

describe('health', () => {
  it('reports live and ready with the database check', async () => {
    expect((await h.anonymous('GET', '/health/live')).json()).toEqual({ status: 'ok' })
    const ready = await h.anonymous('GET', '/health/ready')
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toEqual({ status: 'ok', checks: { database: 'ok' } })
  })
})

describe('the API describes itself', () => {
  it('serves an OpenAPI 3.1 document with every admin route, its schemas and security', async () => {
    const res = await h.anonymous('GET', '/openapi.json')
    expect(res.statusCode).toBe(200)
    const doc = res.json()
    expect(doc.openapi).toBe('3.1.0')
    for (const path of [
      '/auth/login',
      '/stores',
      '/stores/{key}/api-keys',
      '/stores/{key}/api-keys/{id}',
      '/stores/{key}/api-keys/{id}/reveal',
      '/stores/{key}/api-keys/{id}/regenerate-secret',
      '/stores/{key}/audit-log',
    ]) {
      expect(doc.paths, path).toHaveProperty([path])
    }
    const create = doc.paths['/stores/{key}/api-keys'].post
    expect(create.operationId).toBe('createApiKey')
    expect(create.security).toEqual([{ cookieAuth: [] }, { bearerAuth: [] }])
    expect(create.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateApiKeyBody' })
    expect(JSON.stringify(doc.components.schemas.CreateApiKeyBody)).toContain(PERMISSIONS[0])
    expect(create.responses['201']).toBeDefined()
    expect(create.responses['422']).toBeDefined()
    expect(doc.components.securitySchemes.basicAuth).toMatchObject({ type: 'http', scheme: 'basic' })
  })

  it('documents every integrator route with Basic auth, its permission, schemas and errors', async () => {
    const doc = (await h.anonymous('GET', '/openapi.json')).json()
    let operations = 0
    for (const resource of ['customers', 'products', 'categories', 'orders']) {
      for (const path of [`/v1/${resource}`, `/v1/${resource}/{id}`]) {
        for (const [method, op] of Object.entries(doc.paths[path] as Record<string, Record<string, unknown>>)) {
          operations++
          const verb = method === 'get' ? 'read' : 'write'
          expect(op.security, `${method} ${path}`).toEqual([{ basicAuth: [`${verb}_${resource}`] }])
          expect(op.description).toContain(`${verb}_${resource}`)
          const responses = op.responses as Record<string, unknown>
          for (const status of ['401', '403', '429']) expect(responses, `${method} ${path}`).toHaveProperty([status])
        }
      }
    }
    expect(operations).toBe(20)
    expect(JSON.stringify(doc.paths['/v1/orders'].post.requestBody)).toContain('lineItems')
  })

  it('lists every event payload in the webhooks section', async () => {
    const doc = (await h.anonymous('GET', '/openapi.json')).json()
    expect(Object.keys(doc.webhooks)).toHaveLength(12)
    const order = doc.webhooks['order.created'].post
    expect(order.summary).toContain('Order Create')
    expect(order).toMatchObject({ operationId: 'onOrderCreated', tags: ['Webhook events'], security: [] })
    expect(order.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/OrderCreatedEvent' })
    const schema = doc.components.schemas.OrderCreatedEvent
    expect(schema.required).toEqual(['id', 'type', 'timestamp', 'data'])
    expect(schema.properties.data).toEqual({ $ref: '#/components/schemas/Order' })
    expect(doc.components.schemas.Order.properties.lineItems.items).toEqual({ $ref: '#/components/schemas/LineItem' })
  })

  it('names every resource, input, list, error and event payload, and refers to each by name', async () => {
    const doc = (await h.anonymous('GET', '/openapi.json')).json()
    const names = Object.keys(doc.components.schemas)
    for (const resource of ['Customer', 'Product', 'Category', 'Order']) {
      expect(names).toEqual(expect.arrayContaining([resource, `${resource}List`, `Create${resource}Body`, `Update${resource}Body`]))
      for (const action of ['Created', 'Updated', 'Deleted']) expect(names).toContain(`${resource}${action}Event`)
    }
    expect(names).toEqual(expect.arrayContaining(['ErrorResponse', 'ApiKey', 'ApiKeyList', 'Webhook', 'Delivery', 'DeliveryList']))
    const json = (schema: unknown) => ({ content: { 'application/json': { schema } } })
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
    const list = doc.paths['/v1/orders'].get
    expect(list.responses['200']).toMatchObject(json(ref('OrderList')))
    expect(list.responses['401']).toMatchObject(json(ref('ErrorResponse')))
    expect(doc.paths['/v1/customers'].post.requestBody).toMatchObject(json(ref('CreateCustomerBody')))
    // Every $ref resolves, and nothing titled is left inline.
    const text = JSON.stringify(doc)
    for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect(names).toContain(name)
    expect(JSON.stringify({ paths: doc.paths, webhooks: doc.webhooks })).not.toContain('"title"')
  })

  it('serves the API reference at /docs: its script under a content name, compressed and cached for a year, the page and the document revalidated', async () => {
    expect((await h.anonymous('GET', '/docs/')).headers.location).toBe('/docs')
    const br = { headers: { 'accept-encoding': 'gzip, deflate, br' } }
    const page = await h.anonymous('GET', '/docs', undefined, br)
    expect(page.statusCode).toBe(200)
    expect(page.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-encoding': 'br',
    })
    const html = brotliDecompressSync(page.rawPayload).toString()
    expect(html).toContain('<redoc spec-url="/openapi.json"')
    expect(html).toContain('href="/">Back to the admin</a>')
    const src = /<script src="(\/docs\/assets\/redoc-[0-9a-f]{16}\.js)">/.exec(html)?.[1]
    expect(src).toBeDefined()
    const script = await h.anonymous('GET', src!, undefined, br)
    expect(script.headers).toMatchObject({
      'cache-control': 'public, max-age=31536000, immutable',
      'content-encoding': 'br',
      vary: 'accept-encoding',
    })
    expect(brotliDecompressSync(script.rawPayload).toString()).toContain('Redoc')
    // A client that takes no encoding gets the same bytes uncompressed.
    const plain = await h.anonymous('GET', src!)
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.rawPayload.equals(brotliDecompressSync(script.rawPayload))).toBe(true)
    const gzipped = await h.anonymous('GET', '/openapi.json', undefined, { headers: { 'accept-encoding': 'gzip' } })
    expect(gzipped.headers).toMatchObject({ 'content-encoding': 'gzip', 'cache-control': 'no-cache' })
    expect(JSON.parse(gunzipSync(gzipped.rawPayload).toString())).toEqual((await h.anonymous('GET', '/openapi.json')).json())
    // What a first visit costs on the wire: the page, its script and the document.
    const document = await h.anonymous('GET', '/openapi.json', undefined, br)
    expect(page.rawPayload.length + script.rawPayload.length + document.rawPayload.length).toBeLessThan(500 * 1024)
  })

  it('gives every integrator operation a curl example and every response a description', async () => {
    const doc = (await h.anonymous('GET', '/openapi.json')).json()
    const create = doc.paths['/v1/orders'].post
    expect(create['x-codeSamples'][0]).toMatchObject({ lang: 'Shell', label: 'curl' })
    expect(create['x-codeSamples'][0].source).toContain(`-d '${JSON.stringify(create.requestBody.content['application/json'].example)}'`)
    expect(doc.paths['/v1/orders/{id}'].patch['x-codeSamples'][0].source).toContain('/v1/orders/ord_')
    for (const [path, item] of Object.entries(
      doc.paths as Record<string, Record<string, { 'x-codeSamples'?: unknown; responses: Record<string, { description: string }> }>>,
    )) {
      for (const [method, op] of Object.entries(item)) {
        if (path.startsWith('/v1/')) expect(op['x-codeSamples'], `${method} ${path}`).toBeDefined()
        for (const [status, response] of Object.entries(op.responses))
          expect(response.description, `${method} ${path} ${status}`).not.toBe('Default Response')
      }
    }
  })
})

describe('HTTP basics', () => {
  it('refuses a query parameter a route does not declare with 422 naming it, on every kind of route, and changes nothing', async () => {
    const before = await h.v1('GET', '/v1/customers?limit=100')
    for (const [url, call] of [
      ['/v1/customers?limt=5', (u: string) => h.v1('GET', u)],
      ['/v1/customers?limit=5&expand=orders', (u: string) => h.v1('GET', u)],
      ['/stores/{key}/api-keys?serach=x', (u: string) => h.signedIn('GET', u.replace('{key}', h.storeKey))],
      ['/health/ready?verbose=1', (u: string) => h.anonymous('GET', u)],
    ] as const) {
      const res = await call(url)
      expect(res.statusCode, url).toBe(422)
      const field = [...new URL(url, 'http://x').searchParams.keys()].find((k) => k !== 'limit')
      expect(res.json().error.details, url).toEqual([{ field, message: 'is not a known query parameter' }])
    }
    // A refused POST creates nothing.
    const body = { email: 'strict-query@example.com', firstName: 'S', lastName: 'Q' }
    expect((await h.v1('POST', '/v1/customers?dry_run=1', body)).statusCode).toBe(422)
    expect((await h.v1('GET', '/v1/customers?limit=100')).json()).toEqual(before.json())
  })

  it('answers unknown API routes with the error shape and a request id', async () => {
    const res = await h.anonymous('GET', '/stores/demo/nothing-here/x')
    expect(res.statusCode).toBe(404)
    expect(res.json().error).toMatchObject({ code: 'not_found' })
    expect(res.headers['x-request-id']).toMatch(/^req_/)
  })

  it('serves the web app for its client-side routes, and 404 for missing files', async () => {
    const page = await h.anonymous('GET', '/store/demo/settings/api')
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toContain('text/html')
    expect(page.body).toContain('<div id="root">')
    const root = await h.anonymous('GET', '/')
    expect(root.statusCode).toBe(200)
    expect(root.body).toContain('<div id="root">')
    expect((await h.anonymous('GET', '/assets/missing.js')).statusCode).toBe(404)
    expect((await h.anonymous('GET', '/v1/nothing')).json().error.code).toBe('not_found')
  })

  it('sets the JSON API security headers on every API answer, refusals and unknown paths included', async () => {
    const answers = [
      await h.anonymous('GET', '/health/live'),
      await h.anonymous('GET', '/v1/products'),
      await h.anonymous('GET', '/v1/nothing'),
      await h.anonymous('GET', '/stores/demo/api-keys'),
      await h.anonymous('POST', '/auth/login', { email: 'nobody@example.com', password: 'x' }),
    ]
    expect(answers.slice(1).every((res) => res.statusCode >= 400)).toBe(true)
    for (const res of answers) {
      expect(res.headers['content-type']).toContain('application/json')
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'")
      expect(res.headers['x-frame-options']).toBe('DENY')
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/)
      expect(res.headers['cache-control']).toBe('no-store')
      expect(res.headers['referrer-policy']).toBe('no-referrer')
      // A page's headers mean nothing to an API client.
      expect(res.headers['cross-origin-opener-policy']).toBeUndefined()
      expect(res.headers['x-dns-prefetch-control']).toBeUndefined()
    }
    // The OpenAPI document keeps its own caching.
    const document = await h.anonymous('GET', '/openapi.json')
    expect(document.headers['cache-control']).toBe('no-cache')
    expect(document.headers['x-content-type-options']).toBe('nosniff')
  })

  it('sets the document security headers on the API reference and the web app', async () => {
    for (const res of [
      await h.anonymous('GET', '/docs'),
      await h.anonymous('GET', '/store/demo/settings/api'),
      await h.anonymous('GET', '/v1x'),
    ]) {
      expect(res.headers['content-security-policy']).toContain("script-src 'self'")
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'")
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin')
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/)
    }
  })

  it('refuses a body that is not JSON with 415', async () => {
    const res = await h.anonymous('POST', '/auth/login', 'x', { headers: { 'content-type': 'text/plain' } })
    expect(res.statusCode).toBe(415)
    expect(res.json().error.code).toBe('unsupported_media_type')
  })
})

describe('the built web app', () => {
  // The real build output: `pnpm run build` (which `pnpm test` runs first) writes it.
  const builtDist = fileURLToPath(new URL('../../web/dist', import.meta.url))
  const web = useHarness({ WEB_DIST: builtDist })

  function mainScript(): { url: string; bytes: Buffer } {
    const indexPath = path.join(builtDist, 'index.html')
    if (!existsSync(indexPath)) throw new Error(`${builtDist} has no index.html: build the web app first`)
    const src = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(readFileSync(indexPath, 'utf8'))?.[1]
    if (!src) throw new Error('index.html names no script under /assets/')
    return { url: src, bytes: readFileSync(path.join(builtDist, src)) }
  }

  it('sends its assets pre-compressed to clients that accept brotli or gzip, and raw to the rest', async () => {
    const { url, bytes } = mainScript()

    const br = await web.anonymous('GET', url, undefined, { headers: { 'accept-encoding': 'br, gzip' } })
    expect(br.statusCode).toBe(200)
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers['content-type']).toContain('javascript')
    expect(br.headers.vary).toContain('accept-encoding')
    expect(br.rawPayload.length).toBeLessThan(bytes.length / 2)
    expect(brotliDecompressSync(br.rawPayload).equals(bytes)).toBe(true)

    const gz = await web.anonymous('GET', url, undefined, { headers: { 'accept-encoding': 'gzip' } })
    expect(gz.statusCode).toBe(200)
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gz.headers['content-type']).toContain('javascript')
    expect(gunzipSync(gz.rawPayload).equals(bytes)).toBe(true)

    const raw = await web.anonymous('GET', url)
    expect(raw.statusCode).toBe(200)
    expect(raw.headers['content-encoding']).toBeUndefined()
    expect(raw.rawPayload.equals(bytes)).toBe(true)

    // The compressed copies are only ever chosen through the original's URL.
    expect((await web.anonymous('GET', `${url}.br`)).statusCode).toBe(404)
  })

  it('still serves index.html for client-side routes to a client that accepts brotli', async () => {
    const page = await web.anonymous('GET', '/store/demo/settings/api', undefined, { headers: { 'accept-encoding': 'br, gzip' } })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toContain('text/html')
    const body = page.headers['content-encoding'] === 'br' ? brotliDecompressSync(page.rawPayload) : page.rawPayload
    expect(body.equals(readFileSync(path.join(builtDist, 'index.html')))).toBe(true)
  })
})
