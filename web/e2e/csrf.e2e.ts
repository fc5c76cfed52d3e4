import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ApiKey, ApiKeyList, CreatedApiKey, CreatedWebhook, LoginResponse, Webhook, WebhookList } from '@deskflow/shared'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { apiFromPage, expectPath, launchBrowser, signIn } from './helpers'

/**
 * A page on another port of the same host is same-site (SameSite cookies ignore ports),
 * so the browser sends it the signed-in admin's Lax session cookie. Everything such a
 * page can send without a CORS preflight (no-cors fetches with and without a body,
 * auto-submitted forms) must change nothing.
 *
 * Twice: on 127.0.0.1, where Chromium marks each request with Sec-Fetch-Site; and on a
 * name that is not localhost over plain http, where it sends no Sec-Fetch-Site at all
 * (only to trustworthy origins), so the Deskflow-CSRF header is what tells the web app's
 * requests from the attacker's.
 */
const baseUrl = inject('baseUrl')
const port = new URL(baseUrl).port
/** Resolved to 127.0.0.1 by the browser (--host-resolver-rules). */
const PLAIN_HOST = 'deskflow.test'

let browser: Browser
let attacker: http.Server
let attackerPort = 0
let receiverHits = 0
/** A Bearer token of its own, so checks and clean-up work even if the attack signs the browser out. */
let bearer = ''
let key: CreatedApiKey
let hook: CreatedWebhook
let keyLast4 = ''

async function admin<T>(method: string, path: string, body?: object): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body && { 'content-type': 'application/json' }) },
    ...(body && { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T }
}

/** The attacker's page: sends each request, then sets `window.done`; `window.results` says what the browser let through. */
function attackPage(target: string, keyId: string, webhookId: string): string {
  const script = `
    const target = ${JSON.stringify(target)}
    const results = {}
    window.results = results
    async function send(name, path, init) {
      try {
        await fetch(target + path, { mode: 'no-cors', credentials: 'include', ...init })
        results[name] = 'answered'
      } catch (err) {
        // Also when the request went out and only its answer was blocked.
        results[name] = 'not sent or not readable: ' + err.message
      }
    }
    function submit(name, form) {
      return new Promise((resolve) => {
        const frame = document.createElement('iframe')
        frame.name = name
        document.body.append(frame)
        form.target = name
        document.body.append(form)
        const finish = () => { results[name] = 'submitted'; resolve() }
        frame.addEventListener('load', finish, { once: true })
        setTimeout(finish, 5000)
        form.submit()
      })
    }
    function form(action, enctype, fields) {
      const f = document.createElement('form')
      f.method = 'POST'
      f.action = target + action
      f.enctype = enctype
      for (const [name, value] of fields) {
        const input = document.createElement('input')
        input.type = 'hidden'
        input.name = name
        input.value = value
        f.append(input)
      }
      return f
    }
    const store = '/stores/demo'
    ;(async () => {
      await send('rotate the webhook secret (no body)', store + '/webhooks/${webhookId}/rotate-secret', { method: 'POST' })
      await send('regenerate the key secret (no body)', store + '/api-keys/${keyId}/regenerate-secret', { method: 'POST' })
      await send('regenerate the key secret (text/plain)', store + '/api-keys/${keyId}/regenerate-secret', {
        method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"gracePeriod":"none"}',
      })
      await send('send a test delivery (no body)', store + '/webhooks/${webhookId}/test', { method: 'POST' })
      await send('delete the key (no-cors)', store + '/api-keys/${keyId}', { method: 'DELETE' })
      await send('delete the key (cors)', store + '/api-keys/${keyId}', { method: 'DELETE', mode: 'cors' })
      await submit('create a key (urlencoded form)', form(store + '/api-keys', 'application/x-www-form-urlencoded', [
        ['description', 'Forged'], ['permissions', 'write_orders'],
      ]))
      // text/plain sends "name=value": this name and value make the body valid JSON.
      await submit('create a webhook (text/plain form)', form(store + '/webhooks', 'text/plain', [
        ['{"events":["order.created"],"url":"https://evil.example/?x', '"}'],
      ]))
      await submit('regenerate the key secret (urlencoded form)', form(store + '/api-keys/${keyId}/regenerate-secret', 'application/x-www-form-urlencoded', []))
      await send('sign out (no body)', '/auth/logout', { method: 'POST' })
      window.done = true
    })()
  `
  return `<!doctype html><html><head><title>Win a prize</title></head><body><script>${script}</script></body></html>`
}

beforeAll(async () => {
  const login = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: inject('adminEmail'), password: inject('adminPassword') }),
  })
  bearer = ((await login.json()) as LoginResponse).token

  attacker = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://attacker')
    if (url.pathname === '/receiver') {
      receiverHits += 1
      res.end('{}')
      return
    }
    res.setHeader('content-type', 'text/html; charset=utf-8')
    res.end(attackPage(url.searchParams.get('target') ?? '', url.searchParams.get('key') ?? '', url.searchParams.get('webhook') ?? ''))
  })
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve))
  attackerPort = (attacker.address() as AddressInfo).port

  key = (await admin<CreatedApiKey>('POST', '/stores/demo/api-keys', { description: 'CSRF target', permissions: ['read_orders'] })).body
  hook = (
    await admin<CreatedWebhook>('POST', '/stores/demo/webhooks', {
      url: `http://127.0.0.1:${attackerPort}/receiver`,
      events: ['order.created'],
    })
  ).body
  expect(key.id).toMatch(/^key_/)
  expect(hook.id).toMatch(/^wh_/)
  keyLast4 = (await admin<ApiKey>('GET', `/stores/demo/api-keys/${key.id}`)).body.secretLast4

  browser = await launchBrowser([`--host-resolver-rules=MAP ${PLAIN_HOST} 127.0.0.1`])
})

afterAll(async () => {
  // Leave the store as found: the other browser tests start from an empty key list.
  if (bearer) {
    const keys = (await admin<ApiKeyList>('GET', '/stores/demo/api-keys?limit=100')).body.data
    for (const k of keys.filter((k) => k.id === key?.id || k.description === 'Forged'))
      await admin('DELETE', `/stores/demo/api-keys/${k.id}`)
    const hooks = (await admin<WebhookList>('GET', '/stores/demo/webhooks')).body.data
    for (const h of hooks.filter((h) => h.id === hook?.id || h.url.startsWith('https://evil.example/')))
      await admin('DELETE', `/stores/demo/webhooks/${h.id}`)
    await admin('POST', '/auth/logout')
  }
  await browser?.close()
  attacker?.close()
})

/** A fresh profile; not the helpers' one, which asks for clipboard access that plain http cannot have. */
async function contextFor(app: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: app })
  context.setDefaultTimeout(10_000)
  context.setDefaultNavigationTimeout(20_000)
  return context
}

describe.each([
  { host: '127.0.0.1', marks: true },
  { host: PLAIN_HOST, marks: false },
])('requests from a same-site page on $host', ({ host, marks }) => {
  const app = `http://${host}:${port}`
  const attackerOrigin = () => `http://${host}:${attackerPort}`

  it('change nothing: no secret rotated or regenerated, nothing created or deleted, still signed in', async () => {
    const context = await contextFor(app)
    const victim = await context.newPage()
    await signIn(victim, inject('adminEmail'), inject('adminPassword'))
    const keysBefore = (await admin<ApiKeyList>('GET', '/stores/demo/api-keys?limit=100')).body.data.length
    const hooksBefore = (await admin<WebhookList>('GET', '/stores/demo/webhooks')).body.data.length
    expect((await apiFromPage(victim, '/auth/me')).status).toBe(200)
    // Cookies ignore ports: the attacker's page is same-site, so the browser attaches this one.
    const cookie = (await context.cookies(app)).find((c) => c.name === 'df_session')
    expect(cookie).toMatchObject({ sameSite: 'Lax', httpOnly: true })

    const page = await context.newPage()
    const sent: string[] = []
    const siteHeaders: Array<Promise<string | undefined>> = []
    page.on('request', (request) => {
      if (!request.url().startsWith(app)) return
      sent.push(`${request.method()} ${new URL(request.url()).pathname}`)
      // A request still in flight when its page closes has no headers to report: unknown.
      siteHeaders.push(
        request.allHeaders().then(
          (h) => h['sec-fetch-site'],
          () => undefined,
        ),
      )
    })
    await page.goto(`${attackerOrigin()}/?target=${encodeURIComponent(app)}&key=${key.id}&webhook=${hook.id}`)
    await page.waitForFunction(() => (window as unknown as { done?: boolean }).done === true, undefined, { timeout: 30_000 })
    const results = await page.evaluate(() => (window as unknown as { results: Record<string, string> }).results)
    // Playwright does not report the final headers of every request; those it does report agree.
    const sites = new Set(await Promise.all(siteHeaders))
    await page.close()
    if (marks) expect([...sites].filter(Boolean)).toEqual(['same-site'])
    else expect([...sites]).toEqual([undefined])

    // The browser sent every attack a page may send without a preflight, with the Lax
    // cookie (same-site): what stops them is the server. (Their answers are unreadable:
    // no-cors, and Cross-Origin-Resource-Policy.)
    const keyPath = `/stores/demo/api-keys/${key.id}`
    const hookPath = `/stores/demo/webhooks/${hook.id}`
    for (const request of [
      `POST ${hookPath}/rotate-secret`,
      `POST ${keyPath}/regenerate-secret`,
      `POST ${hookPath}/test`,
      'POST /stores/demo/api-keys',
      'POST /stores/demo/webhooks',
      'POST /auth/logout',
    ]) {
      expect(sent, request).toContain(request)
    }
    expect(sent.filter((r) => r === `POST ${keyPath}/regenerate-secret`)).toHaveLength(3)
    // DELETE is not a method a page may send without a preflight: the browser refuses it.
    expect(results['delete the key (no-cors)']).toMatch(/DELETE.*unsupported/)
    expect(results['delete the key (cors)']).toMatch(/^not sent/)

    const keyAfter = await admin<ApiKey>('GET', keyPath)
    expect.soft(keyAfter.status).toBe(200)
    expect.soft(keyAfter.body).toMatchObject({ secretLast4: keyLast4, previousSecretExpiresAt: null })
    const hookAfter = await admin<Webhook>('GET', hookPath)
    expect.soft(hookAfter.body).toMatchObject({ secretLast4: hook.secretLast4, previousSecretExpiresAt: null })
    expect.soft((await admin<ApiKeyList>('GET', '/stores/demo/api-keys?limit=100')).body.data).toHaveLength(keysBefore)
    expect.soft((await admin<WebhookList>('GET', '/stores/demo/webhooks')).body.data).toHaveLength(hooksBefore)
    expect.soft(receiverHits).toBe(0)
    expect.soft((await apiFromPage(victim, '/auth/me')).status).toBe(200)
    await context.close()
  })

  it("the web app's own requests still change things (signing out)", async () => {
    const context = await contextFor(app)
    const page = await context.newPage()
    await signIn(page, inject('adminEmail'), inject('adminPassword'))
    // A request from this origin's own script without the header: where the browser marks
    // it same-origin that is enough; without Sec-Fetch-Site only the header counts.
    const bare = await page.evaluate(() =>
      fetch('/stores/demo/api-keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status),
    )
    expect(bare).toBe(marks ? 422 : 403)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expectPath(page, '/login')
    expect((await apiFromPage(page, '/auth/me')).status).toBe(401)
    await context.close()
  })
})
