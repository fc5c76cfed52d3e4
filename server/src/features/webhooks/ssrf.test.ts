import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import { describe, expect, it } from 'vitest'
import { checkUrlSyntax, resolvePublic } from './ssrf'
import { createSender } from './sender'

const strict = { allowHttp: true, allowPrivate: false }

/** Every spelling a caller might use to reach an internal address: all refused at save. */
const REFUSED: Array<[string, RegExp]> = [
  ['http://127.0.0.1/hook', /loopback/],
  ['http://127.1/hook', /loopback/],
  ['http://2130706433/hook', /loopback/],
  ['http://0x7f000001/hook', /loopback/],
  ['http://0x7f.0.0.1/hook', /loopback/],
  ['http://0177.0.0.1/hook', /loopback/],
  ['http://017700000001/hook', /loopback/],
  ['http://[::1]/hook', /loopback/],
  ['http://[::ffff:127.0.0.1]/hook', /loopback/],
  ['http://[::ffff:7f00:1]/hook', /loopback/],
  ['http://10.0.0.1/hook', /private/],
  ['http://10.255.255.255:8080/hook', /private/],
  ['http://172.16.5.4/hook', /private/],
  ['http://172.31.255.1/hook', /private/],
  ['http://192.168.1.1/hook', /private/],
  ['http://[::ffff:10.0.0.1]/hook', /private/],
  ['http://[::ffff:192.168.0.1]/hook', /private/],
  ['http://169.254.169.254/latest/meta-data/', /link-local/],
  ['http://[::ffff:169.254.169.254]/latest', /link-local/],
  ['http://2852039166/latest', /link-local/],
  ['http://[fe80::1]/hook', /link-local/],
  ['http://100.64.0.1/hook', /carrier-grade NAT/],
  ['http://100.127.255.254/hook', /carrier-grade NAT/],
  ['http://[fc00::1]/hook', /unique-local/],
  ['http://[fd12:3456:789a::1]/hook', /unique-local/],
  ['http://0.0.0.0/hook', /unspecified/],
  ['http://0/hook', /unspecified/],
  ['http://[::]/hook', /unspecified/],
  ['http://224.0.0.1/hook', /multicast/],
  ['http://[ff02::1]/hook', /multicast/],
  ['http://255.255.255.255/hook', /broadcast/],
  ['http://[::127.0.0.1]/hook', /IPv4-compatible/],
  ['http://[::10.0.0.1]/hook', /IPv4-compatible/],
  ['http://[64:ff9b::7f00:1]/hook', /reserved/],
  ['http://localhost:3000/hook', /internal host name/],
  ['http://api.localhost/hook', /internal host name/],
  ['http://localhost./hook', /internal host name/],
  ['http://metadata.google.internal/computeMetadata/v1/', /internal host name/],
  ['http://printer.local/hook', /internal host name/],
]

describe('webhook URL guard', () => {
  it.each(REFUSED)('refuses %s', (url, reason) => {
    const result = checkUrlSyntax(url, strict)
    expect(result).toHaveProperty('problem')
    expect((result as { problem: string }).problem).toMatch(reason)
  })

  it('has a table of at least 25 internal addresses and spellings', () => {
    expect(REFUSED.length).toBeGreaterThanOrEqual(25)
  })

  it.each([
    ['https://93.184.216.34/hook'],
    ['https://[2606:4700:4700::1111]/hook'],
    ['https://your-server.com/webhook'],
    ['https://hooks.example.com:8443/deskflow?source=demo'],
  ])('accepts the public URL %s', (url) => {
    expect(checkUrlSyntax(url, strict)).toHaveProperty('url')
  })

  it.each([
    ['not a url', /absolute URL/],
    ['/relative/path', /absolute URL/],
    ['ftp://example.com/hook', /https/],
    ['javascript:alert(1)', /https/],
    ['https://user:pass@example.com/hook', /user name or password/],
    ['https://example.com:0/hook', /port 0/],
  ])('refuses the malformed %s', (url, reason) => {
    expect((checkUrlSyntax(url, strict) as { problem: string }).problem).toMatch(reason)
  })

  it('requires https unless the configuration allows http', () => {
    expect((checkUrlSyntax('http://example.com/hook', { allowHttp: false, allowPrivate: false }) as { problem: string }).problem).toMatch(
      /https/,
    )
    expect(checkUrlSyntax('http://example.com/hook', { allowHttp: true, allowPrivate: false })).toHaveProperty('url')
  })

  it('lets private addresses through only when WEBHOOK_ALLOW_PRIVATE_URLS is set', () => {
    expect(checkUrlSyntax('http://127.0.0.1:9999/hook', { allowHttp: true, allowPrivate: true })).toHaveProperty('url')
  })
})

describe('the connect-time check (DNS rebinding)', () => {
  it('refuses a name that resolves to a private address', async () => {
    await expect(resolvePublic('localhost', false)).rejects.toThrow(/resolves to (127\.0\.0\.1|::1), a loopback address/)
    await expect(resolvePublic('localhost', true)).resolves.not.toHaveLength(0)
  })

  it('never connects: a receiver on loopback behind a host name gets no request', async () => {
    let hits = 0
    const server = http.createServer((_req, res) => {
      hits++
      res.end('ok')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as AddressInfo
    const sender = createSender({ allowPrivate: false, timeoutMs: 2000 })
    try {
      // This machine's own name passes the save-time name check, but resolves to loopback now.
      expect(checkUrlSyntax(`http://${os.hostname()}:${port}/hook`, strict)).toHaveProperty('url')
      const viaName = await sender.send(`http://${os.hostname()}:${port}/hook`, {}, '{}')
      expect(viaName.ok).toBe(false)
      expect(viaName.error).toMatch(/^Blocked: .*loopback/)
      const viaLiteral = await sender.send(`http://127.0.0.1:${port}/hook`, {}, '{}')
      expect(viaLiteral.error).toMatch(/^Blocked: /)
      expect(hits).toBe(0)
    } finally {
      sender.close()
      server.close()
    }
  })
})
