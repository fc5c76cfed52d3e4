import { beforeAll, describe, expect, it } from 'vitest'
import type { UsageReport } from '@deskflow/shared'
import { useTestDatabase } from './helpers/db'
import { useServerProcesses, type RunningServer } from './helpers/process'
import { asIntegrator, serverEnv, signIn, type RemoteAdmin } from './helpers/remote'

/**
 * Two real server processes on one database, as behind a load balancer: a key
 * revoked through one instance is refused by the other on the very next request.
 */
const database = useTestDatabase()
const servers = useServerProcesses()
const instances: RunningServer[] = []
let admin: RemoteAdmin

beforeAll(async () => {
  // Usage counts reach the database only at shutdown in this test.
  const env = { ...serverEnv(database.url), USAGE_FLUSH_SECONDS: '3600' }
  // The first instance creates the admin; the second starts on the same data.
  for (let i = 0; i < 2; i++) instances.push(await servers.serve(env))
  admin = await signIn(instances[0]!.base)
}, 90_000)

async function newKey() {
  return admin.createKey({ description: 'two instances', permissions: ['read_products'] })
}

const onB = (key: string, secret: string) => asIntegrator(instances[1]!.base, { key, secret }).request('GET', '/v1/products')

describe('revocation across instances', () => {
  it('delete on A: the next request on B is refused', async () => {
    const k = await newKey()
    expect((await onB(k.key, k.secret)).status).toBe(200)
    expect((await admin.request('DELETE', `/stores/demo/api-keys/${k.id}`)).status).toBe(204)
    expect((await onB(k.key, k.secret)).status).toBe(401)
  })

  it('deactivate on A: the next request on B is refused; reactivate: accepted again', async () => {
    const k = await newKey()
    expect((await onB(k.key, k.secret)).status).toBe(200)
    await admin.request('PATCH', `/stores/demo/api-keys/${k.id}`, { activated: false })
    expect((await onB(k.key, k.secret)).status).toBe(401)
    await admin.request('PATCH', `/stores/demo/api-keys/${k.id}`, { activated: true })
    expect((await onB(k.key, k.secret)).status).toBe(200)
  })

  it('regenerate on A: B refuses the old secret at once and accepts the new one', async () => {
    const k = await newKey()
    expect((await onB(k.key, k.secret)).status).toBe(200)
    const res = await admin.request('POST', `/stores/demo/api-keys/${k.id}/regenerate-secret`, { gracePeriod: 'none' })
    const { secret } = (await res.json()) as { secret: string }
    expect((await onB(k.key, k.secret)).status).toBe(401)
    expect((await onB(k.key, secret)).status).toBe(200)
  })

  it('the demo store was seeded, so the first call returns products', async () => {
    const k = await newKey()
    const body = (await (await onB(k.key, k.secret)).json()) as { data: unknown[] }
    expect(body.data.length).toBeGreaterThanOrEqual(5)
  })
})

describe('usage counts at shutdown', () => {
  it('are written when an instance stops, not lost', async () => {
    const k = await newKey()
    for (let i = 0; i < 3; i++) expect((await onB(k.key, k.secret)).status).toBe(200)
    const usage = async () =>
      ((await (await admin.request('GET', `/stores/demo/usage?apiKeyId=${k.id}`)).json()) as UsageReport).keys[0]!.totals.success
    expect(await usage()).toBe(0)
    instances[1]!.child.kill('SIGTERM')
    expect(await instances[1]!.exited).toBe(0)
    expect(await usage()).toBe(3)
  })
})
