import { describe, expect, it, beforeAll } from 'vitest'
import { useHarness, TEST_PASSWORD } from './helpers/harness'

/**
 * Behind an https reverse proxy the session cookie is marked Secure, and the client's address
 * is the one the trusted proxies saw, never one the client wrote itself.
 * (`behind-nginx.test.ts` proves the same through a real nginx.)
 */
const PROXY = '10.0.0.2'

for (const trust of ['1', PROXY]) {
  describe(`TRUST_PROXY=${trust}`, () => {
    const h = useHarness({ TRUST_PROXY: trust })
    let email = ''

    beforeAll(async () => {
      email = (await h.createAdmin()).email
    })

    it('sets the session cookie HttpOnly, SameSite=Lax and Secure', async () => {
      const res = await h.anonymous(
        'POST',
        '/auth/login',
        { email, password: TEST_PASSWORD },
        {
          remoteAddress: PROXY,
          headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' },
        },
      )
      expect(res.statusCode).toBe(200)
      expect(res.cookies.find((c) => c.name === 'df_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true })
    })

    it('takes the address the proxy appended, not the ones the client sent before it', async () => {
      const key = await h.createKey(['read_products'], { allowedIps: ['203.0.113.7'] })
      const res = await h.v1('GET', '/v1/products', undefined, {
        auth: key.auth,
        remoteAddress: PROXY,
        headers: { 'x-forwarded-for': '203.0.113.7, 198.51.100.20' },
      })
      expect(res.statusCode).toBe(403)
      expect(res.json().error.message).toBe('This API key does not accept requests from 198.51.100.20')
    })
  })
}

describe('TRUST_PROXY with addresses', () => {
  const h = useHarness({ TRUST_PROXY: `${PROXY},2001:db8::/64` })

  it('ignores X-Forwarded-For from a peer that is not a listed proxy', async () => {
    const key = await h.createKey(['read_products'], { allowedIps: ['203.0.113.7'] })
    const res = await h.v1('GET', '/v1/products', undefined, {
      auth: key.auth,
      remoteAddress: '198.51.100.30',
      headers: { 'x-forwarded-for': '203.0.113.7' },
    })
    expect(res.json().error.message).toBe('This API key does not accept requests from 198.51.100.30')
  })

  it('walks back through every listed proxy, IPv6 ones included, to the first address that is not one', async () => {
    const key = await h.createKey(['read_products'], { allowedIps: ['198.51.100.40'] })
    const res = await h.v1('GET', '/v1/products', undefined, {
      auth: key.auth,
      remoteAddress: PROXY,
      headers: { 'x-forwarded-for': '203.0.113.7, 198.51.100.40, 2001:db8::9' },
    })
    expect(res.statusCode).toBe(200)
  })
})
