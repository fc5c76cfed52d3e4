import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { fastifyTrustProxy, type TrustProxy } from './trust-proxy'

/** What Fastify makes of the forwarded headers with each kind of TRUST_PROXY. */
async function seen(trust: TrustProxy, remoteAddress: string, headers: Record<string, string>) {
  const app = Fastify({ trustProxy: fastifyTrustProxy(trust) })
  app.get('/', async (request) => ({ ip: request.ip, protocol: request.protocol, host: request.host }))
  const res = await app.inject({ method: 'GET', url: '/', remoteAddress, headers: { host: 'app.internal', ...headers } })
  await app.close()
  return res.json<{ ip: string; protocol: string; host: string }>()
}

const forwarded = {
  'x-forwarded-for': '203.0.113.7, 198.51.100.20, 10.0.0.3',
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'shop.example',
}

describe('fastifyTrustProxy', () => {
  it('without a proxy uses the connection and ignores every forwarded header', async () => {
    expect(await seen(false, '10.0.0.2', forwarded)).toEqual({ ip: '10.0.0.2', protocol: 'http', host: 'app.internal' })
  })

  it("with a hop count takes that many addresses from the end, never the client's own entries", async () => {
    expect(await seen(1, '10.0.0.2', forwarded)).toEqual({ ip: '10.0.0.3', protocol: 'https', host: 'shop.example' })
    expect((await seen(2, '10.0.0.2', forwarded)).ip).toBe('198.51.100.20')
  })

  it('with addresses walks back through listed proxies only', async () => {
    expect(await seen(['10.0.0.0/24'], '10.0.0.2', forwarded)).toEqual({ ip: '198.51.100.20', protocol: 'https', host: 'shop.example' })
    expect(await seen(['::1', '10.0.0.2'], '10.0.0.2', forwarded)).toMatchObject({ ip: '10.0.0.3' })
  })

  it('with addresses ignores X-Forwarded-For, -Proto and -Host from any other peer', async () => {
    expect(await seen(['10.0.0.0/24'], '192.0.2.50', forwarded)).toEqual({ ip: '192.0.2.50', protocol: 'http', host: 'app.internal' })
  })
})
