import { describe, expect, it, beforeAll } from 'vitest'
import { useTestApp, TEST_PASSWORD } from './helpers/app'

/** Behind an https reverse proxy (TRUST_PROXY=true) the session cookie is marked Secure. */
const t = useTestApp({ TRUST_PROXY: 'true' })
let email = ''

beforeAll(async () => {
  email = (await t.createAdmin()).email
})

describe('behind an https proxy', () => {
  it('sets the session cookie HttpOnly, SameSite=Lax and Secure', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' },
      payload: { email, password: TEST_PASSWORD },
    })
    expect(res.statusCode).toBe(200)
    expect(res.cookies.find((c) => c.name === 'df_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true })
  })
})
