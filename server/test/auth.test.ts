import { createHmac } from 'node:crypto'
import { describe, expect, it, beforeAll } from 'vitest'
import type { ErrorResponse, LoginResponse } from '@deskflow/shared'
import { useHarness, TEST_PASSWORD } from './helpers/harness'

const h = useHarness({ LOGIN_RATE_LIMIT: '3', LOGIN_RATE_LIMIT_PER_ADDRESS: '5' })
let email: string

beforeAll(async () => {
  const admin = await h.createAdmin()
  email = admin.email
  await h.createStore('auth-a', [admin.id])
  await h.createStore('auth-b', [admin.id])
  await h.createStore('auth-not-mine')
})

const login = (body: unknown, ip = '10.0.0.1') => h.anonymous('POST', '/auth/login', body, { remoteAddress: ip })

describe('sign-in', () => {
  it('sets an HttpOnly SameSite session cookie and returns the admin and token', async () => {
    const res = await login({ email: email.toUpperCase(), password: TEST_PASSWORD }, '10.0.0.2')
    expect(res.statusCode).toBe(200)
    const body = res.json<LoginResponse>()
    expect(body.admin.email).toBe(email)
    expect(body.token.split('.')).toHaveLength(3)
    const cookie = res.cookies.find((c) => c.name === 'df_session')!
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    expect(Object.keys(body).sort()).toEqual(['admin', 'expiresAt', 'passwordChangeRequired', 'token'])
    expect(body.passwordChangeRequired).toBe(false)
    expect(JSON.stringify(body)).not.toContain(TEST_PASSWORD)
    expect(JSON.stringify(body)).not.toContain('$argon2')

    const me = await h.anonymous('GET', '/auth/me', undefined, { headers: { cookie: `df_session=${cookie.value}` } })
    expect(me.json()).toEqual({ admin: body.admin, passwordChangeRequired: false })
  })

  it('refuses a wrong password and an unknown email with the same answer', async () => {
    const wrong = await login({ email, password: 'not it' }, '10.0.0.3')
    const unknown = await login({ email: 'nobody@example.com', password: 'not it' }, '10.0.0.3')
    expect(wrong.statusCode).toBe(401)
    expect(unknown.statusCode).toBe(401)
    expect(wrong.json<ErrorResponse>().error.message).toBe(unknown.json<ErrorResponse>().error.message)
    expect(wrong.cookies).toHaveLength(0)
  })

  it('names the bad field', async () => {
    const res = await login({ email: 'not-an-email' }, '10.0.0.4')
    expect(res.statusCode).toBe(422)
    expect(
      res
        .json<ErrorResponse>()
        .error.details?.map((d) => d.field)
        .sort(),
    ).toEqual(['email', 'password'])
  })

  it('is rate-limited per address and email, answering 429 with Retry-After', async () => {
    const ip = '10.0.0.5'
    for (let i = 0; i < 3; i++) expect((await login({ email, password: 'guess' }, ip)).statusCode).toBe(401)
    const limited = await login({ email, password: TEST_PASSWORD }, ip)
    expect(limited.statusCode).toBe(429)
    expect(limited.json<ErrorResponse>().error.code).toBe('rate_limited')
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    // Another address is not locked out by this one's guesses.
    expect((await login({ email, password: TEST_PASSWORD }, '10.0.0.6')).statusCode).toBe(200)
  })

  it('is rate-limited per address whatever the email (one password tried on many accounts)', async () => {
    const ip = '10.0.0.9'
    for (let i = 0; i < 5; i++)
      expect((await login({ email: `someone-${i}@example.com`, password: 'Summer2026!' }, ip)).statusCode).toBe(401)
    const sprayed = await login({ email: 'someone-5@example.com', password: 'Summer2026!' }, ip)
    expect(sprayed.statusCode).toBe(429)
    expect(sprayed.json<ErrorResponse>().error.code).toBe('rate_limited')
    // Even the right password is refused from that address for now; other addresses are not affected.
    expect((await login({ email, password: TEST_PASSWORD }, ip)).statusCode).toBe(429)
    expect((await login({ email, password: TEST_PASSWORD }, '10.0.0.10')).statusCode).toBe(200)
  })

  it('signs out by clearing the cookie', async () => {
    const res = await h.anonymous('POST', '/auth/logout')
    expect(res.statusCode).toBe(204)
    const cleared = res.cookies.find((c) => c.name === 'df_session')!
    expect(cleared.value).toBe('')
    expect(new Date(cleared.expires!).getTime()).toBeLessThan(Date.now())
  })

  it("rejects a live session's token re-signed with another key, with alg none, or with its claims changed", async () => {
    const cookie = await h.login(email)
    const token = cookie.slice('df_session='.length)
    const [header, payload, signature] = token.split('.') as [string, string, string]
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string; sid: string }
    expect(claims.sid).toEqual(expect.any(String))
    const me = (authorization: string) => h.anonymous('GET', '/auth/me', undefined, { headers: { authorization } })
    // The genuine token opens the session: the forgeries below differ only in what they break.
    expect((await me(`Bearer ${token}`)).statusCode).toBe(200)

    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
    const signWith = (key: string, head: string, body: string) => createHmac('sha256', key).update(`${head}.${body}`).digest('base64url')
    const otherKey = `${header}.${payload}.${signWith('not-the-server-key-not-the-server-key', header, payload)}`
    const algNone = `${enc({ alg: 'none', typ: 'JWT' })}.${payload}.`
    const tamperedPayload = enc({ ...claims, sub: 'adm_someone_else' })
    const tampered = `${header}.${tamperedPayload}.${signature}`
    for (const forged of [otherKey, algNone, tampered]) {
      expect((await me(`Bearer ${forged}`)).statusCode, forged).toBe(401)
      expect((await h.anonymous('GET', '/auth/me', undefined, { headers: { cookie: `df_session=${forged}` } })).statusCode).toBe(401)
    }
  })
})

describe('stores', () => {
  it("lists only the admin's stores, and hides the others as 404", async () => {
    const cookie = await h.login(email)
    const res = await h.anonymous('GET', '/stores', undefined, { headers: { cookie }, remoteAddress: '10.0.0.7' })
    expect(res.json<{ data: Array<{ key: string }> }>().data.map((s) => s.key)).toEqual(['auth-a', 'auth-b'])
    const hidden = await h.anonymous('GET', '/stores/auth-not-mine/api-keys', undefined, { headers: { cookie } })
    const missing = await h.anonymous('GET', '/stores/no-such-store/api-keys', undefined, { headers: { cookie } })
    expect(hidden.statusCode).toBe(404)
    expect(hidden.json<ErrorResponse>().error.message).toBe(missing.json<ErrorResponse>().error.message)
  })
})
