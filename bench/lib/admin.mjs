// The admin API and the integrator API, as a store admin and an integration use them.
export function basic(key, secret) {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`
}

export class Admin {
  constructor(url, token) {
    this.url = url
    this.token = token
  }

  static async login(url, email, password) {
    const res = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    })
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`)
    return new Admin(url, (await res.json()).token)
  }

  async call(method, path, body, expect = [200, 201, 204]) {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!expect.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`)
    return text ? JSON.parse(text) : null
  }

  /** A key with these permissions and the highest rate limit, so the limiter never answers 429 in a run. */
  async createKey(description, permissions) {
    const created = await this.call('POST', '/stores/demo/api-keys', { description, permissions, rateLimitPerMinute: 100000 })
    return { ...created, authorization: basic(created.key, created.secret) }
  }
}

export async function integrator(url, authorization, method, path, body) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`)
  return text ? JSON.parse(text) : null
}

/** Runs fn over items with at most `limit` in flight. */
export async function pool(items, limit, fn) {
  const results = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++
        results[i] = await fn(items[i], i)
      }
    }),
  )
  return results
}
