import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db'
import { createCursors } from '../../lib/cursor'
import { createSecretBox } from '../../lib/secret-box'
import { newId } from '../../lib/ids'
import { createStoresRepo } from '../stores/repo'
import { createAuditRepo } from '../audit/repo'
import { createAuditService } from '../audit/service'
import { createAdminsRepo } from '../auth/repo'
import { createApiKeysRepo } from './repo'
import { createApiKeysService } from './service'
import { createApiKeyVerifier, type VerifyApiKey } from './verify'

let database: TestDatabase
let service: ReturnType<typeof createApiKeysService>
let verify: VerifyApiKey
let storeId: string
const actor = { adminId: '', ip: '127.0.0.1' }

beforeAll(async () => {
  database = await createTestDatabase()
  const box = createSecretBox('k'.repeat(48))
  const repo = createApiKeysRepo(database.db)
  const admin = await createAdminsRepo(database.db).insert({ id: newId('adm'), email: 'v@example.com', passwordHash: 'x' })
  actor.adminId = admin.id
  storeId = (await createStoresRepo(database.db).insert({ id: newId('sto'), key: 'verify', name: 'Verify' })).id
  service = createApiKeysService({
    db: database.db,
    repo,
    box,
    audit: createAuditService({ repo: createAuditRepo(database.db), cursors: createCursors(box.cursorKeys) }),
    secretReveal: { confirm: async () => {} },
    cursors: createCursors(box.cursorKeys),
    // Nothing here runs long enough for a change of a key to stop waiting: a warning fails the test.
    log: {
      warn: (...args: unknown[]) => {
        throw new Error(`unexpected warning: ${JSON.stringify(args)}`)
      },
    },
  })
  verify = createApiKeyVerifier({ repo, box })
})
afterAll(() => database.drop())

/** The secret with its last character changed (always to a different one). */
const mistype = (secret: string) => `${secret.slice(0, -1)}${secret.endsWith('x') ? 'y' : 'x'}`

const newKey = (activated = true) => service.create(storeId, actor, { description: 'verify', permissions: ['read_orders'], activated })

describe('verifyApiKey', () => {
  it('accepts the right key and secret and returns the store and permissions', async () => {
    const k = await newKey()
    expect(await verify(k.key, k.secret)).toEqual({
      apiKeyId: k.id,
      storeId,
      permissions: ['read_orders'],
      allowedIps: [],
      rateLimitPerMinute: 600,
    })
  })

  it('rejects a wrong secret, a secret of another key, and malformed input', async () => {
    const a = await newKey()
    const b = await newKey()
    expect(await verify(a.key, b.secret)).toBeNull()
    expect(await verify(a.key, mistype(a.secret))).toBeNull()
    expect(await verify(a.key, '')).toBeNull()
    expect(await verify('dfk_nope', a.secret)).toBeNull()
  })

  it('rejects a deactivated key on the very next call, and accepts it again once reactivated', async () => {
    const k = await newKey()
    expect(await verify(k.key, k.secret)).not.toBeNull()
    await service.update(storeId, k.id, actor, { activated: false })
    expect(await verify(k.key, k.secret)).toBeNull()
    await service.update(storeId, k.id, actor, { activated: true })
    expect(await verify(k.key, k.secret)).not.toBeNull()
  })

  it('rejects a key created deactivated', async () => {
    const k = await newKey(false)
    expect(await verify(k.key, k.secret)).toBeNull()
  })

  it('rejects a deleted key on the very next call', async () => {
    const k = await newKey()
    expect(await verify(k.key, k.secret)).not.toBeNull()
    await service.remove(storeId, k.id, actor)
    expect(await verify(k.key, k.secret)).toBeNull()
  })

  it('after regeneration without grace, only the new secret works', async () => {
    const k = await newKey()
    const { secret } = await service.regenerateSecret(storeId, k.id, actor, 'none')
    expect(await verify(k.key, k.secret)).toBeNull()
    expect(await verify(k.key, secret)).not.toBeNull()
  })

  it('after regeneration with a grace period, the old secret works until it ends', async () => {
    const k = await newKey()
    const { secret, previousSecretExpiresAt } = await service.regenerateSecret(storeId, k.id, actor, '1h')
    const end = new Date(previousSecretExpiresAt!)
    expect(end.getTime() - Date.now()).toBeGreaterThan(3500_000)
    expect(await verify(k.key, k.secret)).not.toBeNull()
    expect(await verify(k.key, secret)).not.toBeNull()
    expect(await verify(k.key, k.secret, new Date(end.getTime() + 1))).toBeNull()
    expect(await verify(k.key, secret, new Date(end.getTime() + 1))).not.toBeNull()
  })

  it('rejects a key once its expiry has passed', async () => {
    const expiresAt = new Date(Date.now() + 60_000)
    const k = await service.create(storeId, actor, { description: 'expiring', expiresAt: expiresAt.toISOString() })
    expect(await verify(k.key, k.secret)).not.toBeNull()
    expect(await verify(k.key, k.secret, new Date(expiresAt.getTime() + 1))).toBeNull()
    expect((await verify.check(k.key, k.secret, new Date(expiresAt.getTime() + 1))).ok).toBe(false)
  })

  it('tells the caller nothing, but usage counting the reason and the key', async () => {
    const k = await newKey(false)
    expect(await verify.check(k.key, k.secret)).toEqual({ ok: false, reason: 'deactivated', apiKeyId: k.id, storeId })
    expect(await verify.check(k.key, mistype(k.secret))).toMatchObject({ ok: false })
    expect(await verify.check('dfk_x', k.secret)).toEqual({ ok: false, reason: 'malformed' })
  })

  it('a second regeneration ends the first grace period', async () => {
    const k = await newKey()
    const first = await service.regenerateSecret(storeId, k.id, actor, '24h')
    await service.regenerateSecret(storeId, k.id, actor, 'none')
    expect(await verify(k.key, k.secret)).toBeNull()
    expect(await verify(k.key, first.secret)).toBeNull()
  })
})
