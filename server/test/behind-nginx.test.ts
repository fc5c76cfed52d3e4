import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_PASSWORD, useHarness } from './helpers/harness'
import { startNginx, type Nginx } from './helpers/nginx'

/**
 * The app behind a real nginx (one proxy hop), clients connecting from their own loopback
 * addresses: whatever X-Forwarded-For a client writes, the server sees the address nginx saw.
 */
interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

function call(port: number, from: string, method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        localAddress: from,
        method,
        path: url,
        agent: false,
        headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (d: string) => (text += d))
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }))
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

const forged = (i: number) => ({ 'x-forwarded-for': `198.51.100.${i}` })

for (const trust of ['1', '127.0.0.1']) {
  describe(`through nginx with TRUST_PROXY=${trust}`, () => {
    const h = useHarness({ TRUST_PROXY: trust, LOGIN_RATE_LIMIT: '3', LOGIN_RATE_LIMIT_PER_ADDRESS: '5' })
    let nginx: Nginx
    let email = ''
    const viaNginx = (from: string, method: string, url: string, headers: Record<string, string>, body?: unknown) =>
      call(nginx.port, from, method, url, headers, body)
    const login = (from: string, headers: Record<string, string>, body: { email: string; password: string }) =>
      viaNginx(from, 'POST', '/auth/login', headers, body)

    beforeAll(async () => {
      await h.app.listen({ host: '127.0.0.1', port: 0 })
      nginx = await startNginx((h.app.server.address() as AddressInfo).port)
      email = (await h.createAdmin()).email
    })

    afterAll(async () => {
      await nginx?.stop()
    })

    it('refuses a key listed only for 203.0.113.7 to a client that claims that address', async () => {
      const key = await h.createKey(['read_products'], { allowedIps: ['203.0.113.7'] })
      for (const claimed of ['203.0.113.7', '203.0.113.7, 203.0.113.7']) {
        const res = await viaNginx('127.0.0.2', 'GET', '/v1/products', { authorization: key.auth, 'x-forwarded-for': claimed })
        expect(res.status, res.body).toBe(403)
        expect(JSON.parse(res.body).error.message).toBe('This API key does not accept requests from 127.0.0.2')
      }
    })

    it("accepts a key listed for the client's real address, whatever the client claims", async () => {
      const key = await h.createKey(['read_products'], { allowedIps: ['127.0.0.2'] })
      expect((await viaNginx('127.0.0.2', 'GET', '/v1/products', { authorization: key.auth })).status).toBe(200)
      const claiming = await viaNginx('127.0.0.2', 'GET', '/v1/products', { authorization: key.auth, 'x-forwarded-for': '203.0.113.7' })
      expect(claiming.status, claiming.body).toBe(200)
      // Another client is not let in as 127.0.0.2 by naming it.
      const other = await viaNginx('127.0.0.3', 'GET', '/v1/products', { authorization: key.auth, 'x-forwarded-for': '127.0.0.2' })
      expect(other.status).toBe(403)
    })

    it('keeps counting sign-in attempts per address and email while the client rotates X-Forwarded-For', async () => {
      for (let i = 1; i <= 3; i++) expect((await login('127.0.0.4', forged(i), { email, password: 'a wrong guess' })).status).toBe(401)
      const fourth = await login('127.0.0.4', forged(4), { email, password: TEST_PASSWORD })
      expect(fourth.status, fourth.body).toBe(429)
      expect(fourth.headers['retry-after']).toBeDefined()
      // Counted per real client: another address signs in to the same account.
      expect((await login('127.0.0.5', {}, { email, password: TEST_PASSWORD })).status).toBe(200)
    })

    it('keeps counting sign-in attempts per address over many emails while the client rotates X-Forwarded-For', async () => {
      for (let i = 1; i <= 5; i++) {
        expect((await login('127.0.0.6', forged(i), { email: `someone-${i}@example.com`, password: 'Summer2026!' })).status).toBe(401)
      }
      const sixth = await login('127.0.0.6', forged(6), { email: 'someone-6@example.com', password: 'Summer2026!' })
      expect(sixth.status, sixth.body).toBe(429)
      expect(sixth.headers['retry-after']).toBeDefined()
    })

    it('marks the session cookie Secure', async () => {
      const res = await login('127.0.0.7', {}, { email, password: TEST_PASSWORD })
      expect(res.status).toBe(200)
      const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('df_session='))
      expect(cookie).toMatch(/; Secure/)
    })
  })
}
