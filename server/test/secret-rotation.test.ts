import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Webhook } from 'standardwebhooks'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CreatedApiKey, CreatedWebhook } from '@deskflow/shared'
import { createSecretBox } from '../src/lib/secret-box'
import { randomBase62 } from '../src/lib/ids'
import { useTestDatabase } from './helpers/db'
import { useServerProcesses, type RunningServer } from './helpers/process'
import { startReceiver } from './helpers/receiver'
import { ADMIN_ENV, asIntegrator, signIn } from './helpers/remote'

/*
 * SECRET_KEY rotation as an operator does it, on real processes: keys and webhooks made
 * under the old key; a server started with the new key and the old one as SECRET_KEY_PREVIOUS;
 * `secrets rotate` run while integrators call and webhooks are delivered; then a server with
 * the new key alone.
 */
const database = useTestDatabase()
const servers = useServerProcesses()
const cliPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/cli.js')
const OLD_KEY = randomBase62(48)
const NEW_KEY = randomBase62(48)
const common = () => ({ DATABASE_URL: database.url, ...ADMIN_ENV, WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_ALLOW_HTTP: 'true' })

function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { env: { PATH: process.env.PATH ?? '', ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as NodeJS.ErrnoException & { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

const receiver = await startReceiver((_r, _n, res) => res.writeHead(204).end())
const keys: CreatedApiKey[] = []
let regenerated: { key: string; oldSecret: string; newSecret: string }
let hook: CreatedWebhook
let hookSecrets: { old: string; current: string }
let oldSessionToken = ''
let productId = ''

/** The rows' stored values, to see which key made them. */
async function stored() {
  const keyRows = await database.pool.query<{ secret_hash: string; secret_ciphertext: string; previous_secret_hash: string | null }>(
    'select secret_hash, secret_ciphertext, previous_secret_hash from api_keys',
  )
  const hookRows = await database.pool.query<{ secret_ciphertext: string; previous_secret_ciphertext: string | null }>(
    'select secret_ciphertext, previous_secret_ciphertext from webhooks',
  )
  return { keys: keyRows.rows, webhooks: hookRows.rows }
}

/**
 * Deliveries that a receiver holding `secret` would refuse, checked as a receiver would; each
 * one must also be signed with the webhook's other secret (both during its grace period).
 */
function unverifiedDeliveries(secret: string): number {
  const wh = new Webhook(secret)
  return receiver.received.filter((r) => {
    try {
      wh.verify(r.body, r.headers as Record<string, string>)
      return (r.headers['webhook-signature'] as string).split(' ').length !== 2
    } catch {
      return true
    }
  }).length
}

beforeAll(async () => {
  const old = await servers.serve({ ...common(), SECRET_KEY: OLD_KEY })
  const admin = await signIn(old.base)
  const login = await fetch(`${old.base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_ENV.ADMIN_EMAIL, password: ADMIN_ENV.ADMIN_PASSWORD }),
  })
  oldSessionToken = ((await login.json()) as { token: string }).token
  for (let i = 0; i < 24; i++)
    keys.push(await admin.createKey({ description: `Integration ${i}`, permissions: ['read_products', 'write_products', 'write_orders'] }))
  // One key regenerated with a grace period: its old secret is only stored as a hash.
  const graced = await admin.createKey({ description: 'Graced', permissions: ['read_products'] })
  const regen = await admin.request('POST', `/stores/demo/api-keys/${graced.id}/regenerate-secret`, { gracePeriod: '24h' })
  expect(regen.status).toBe(200)
  regenerated = { key: graced.key, oldSecret: graced.secret, newSecret: ((await regen.json()) as { secret: string }).secret }
  hook = await admin.addWebhook(receiver.url)
  // Its signing secret rotated: deliveries are signed with the new and the old one for 24 hours.
  const rotated = await admin.request('POST', `/stores/demo/webhooks/${hook.id}/rotate-secret`)
  expect(rotated.status).toBe(200)
  hookSecrets = { old: hook.secret, current: ((await rotated.json()) as { secret: string }).secret }
  // Stock not tracked: every order of the run is accepted.
  const product = await asIntegrator(old.base, keys[0]!).request('POST', '/v1/products', { name: 'Rotation', sku: 'ROT-1', price: 100 })
  expect(product.status).toBe(201)
  productId = ((await product.json()) as { id: string }).id
  old.child.kill('SIGTERM')
  await old.exited
}, 120_000)

describe('SECRET_KEY rotation', () => {
  let ring: RunningServer

  it('a server with the new key and the old one as SECRET_KEY_PREVIOUS serves what the old key made', async () => {
    ring = await servers.serve({ ...common(), SECRET_KEY: NEW_KEY, SECRET_KEY_PREVIOUS: ` ${OLD_KEY} ` })
    expect(ring.output()).toContain(`Key ring: SECRET_KEY (key id ${createSecretBox(NEW_KEY).keyId}) stores every new secret`)
    expect(ring.output()).not.toContain(OLD_KEY)
    for (const key of keys.slice(0, 3)) expect((await asIntegrator(ring.base, key).request('GET', '/v1/products?limit=1')).status).toBe(200)
    // A session signed under the old key is still valid.
    const stores = await fetch(`${ring.base}/stores`, { headers: { authorization: `Bearer ${oldSessionToken}` } })
    expect(stores.status).toBe(200)
    // Both secrets of the regenerated key still work during its grace period.
    for (const secret of [regenerated.oldSecret, regenerated.newSecret])
      expect((await asIntegrator(ring.base, { key: regenerated.key, secret }).request('GET', '/v1/products?limit=1')).status).toBe(200)
  }, 60_000)

  it('rotates every stored secret while integrators call and webhooks are delivered: nothing refused, every signature valid', async () => {
    const statuses = new Map<number, number>()
    let running = true
    let orders = 0
    const load = async (worker: number) => {
      for (let i = worker; running; i++) {
        const integrator = asIntegrator(ring.base, keys[i % keys.length]!)
        const res = i % 4 === 0 ? await integrator.order(productId) : await integrator.request('GET', '/v1/products?limit=5')
        if (i % 4 === 0 && res.status === 201) orders++
        await res.arrayBuffer()
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
      }
    }
    const loaders = [0, 1, 2, 3].map(load)
    await new Promise((r) => setTimeout(r, 300))
    const rotation = await cli({ ...common(), SECRET_KEY: NEW_KEY, SECRET_KEY_PREVIOUS: OLD_KEY }, 'secrets', 'rotate', '--batch-size', '4')
    await new Promise((r) => setTimeout(r, 300))
    running = false
    await Promise.all(loaders)

    expect(rotation.code, rotation.stderr).toBe(0)
    expect(rotation.stdout).toMatch(/api_keys: 25 of 25/)
    expect(rotation.stdout).toMatch(/webhooks: 1 of 1/)
    expect(rotation.stdout).toMatch(/Done: 25 API keys and 1 webhook rotated\./)
    expect(rotation.stdout).toMatch(/1 old API secret still in a grace period .* keep SECRET_KEY_PREVIOUS until 20\d\d-/)
    expect(rotation.stdout + rotation.stderr).not.toContain(OLD_KEY)
    expect(rotation.stdout + rotation.stderr).not.toContain(NEW_KEY)
    // Every request answered as before the rotation, and enough of them ran during it.
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 201]))
    expect(
      [...statuses.keys()].every((status) => status === 200 || status === 201),
      JSON.stringify([...statuses]),
    ).toBe(true)
    expect(orders).toBeGreaterThan(5)
    await receiver.waitFor(orders, 30_000)
    expect(unverifiedDeliveries(hookSecrets.current) + unverifiedDeliveries(hookSecrets.old)).toBe(0)

    // Every value is now made by the new key.
    const newKeyId = createSecretBox(NEW_KEY).keyId
    const after = await stored()
    expect(after.keys.every((k) => k.secret_hash.startsWith(`${newKeyId}.`) && k.secret_ciphertext.startsWith(`v2.${newKeyId}.`))).toBe(
      true,
    )
    expect(
      after.webhooks.every(
        (w) => w.secret_ciphertext.startsWith(`v2.${newKeyId}.`) && w.previous_secret_ciphertext!.startsWith(`v2.${newKeyId}.`),
      ),
    ).toBe(true)
    // The graced old secret: only its hash exists, still the old key's.
    expect(after.keys.filter((k) => k.previous_secret_hash !== null && !k.previous_secret_hash.startsWith(`${newKeyId}.`))).toHaveLength(1)
  }, 120_000)

  it('a second run finds nothing to do', async () => {
    const again = await cli({ ...common(), SECRET_KEY: NEW_KEY, SECRET_KEY_PREVIOUS: OLD_KEY }, 'secrets', 'rotate')
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/Done: 0 API keys and 0 webhooks rotated\./)
  })

  it('after the rotation the new key alone serves every key and signs every delivery with the same secret', async () => {
    ring.child.kill('SIGTERM')
    await ring.exited
    const alone = await servers.serve({ ...common(), SECRET_KEY: NEW_KEY })
    for (const key of keys) expect((await asIntegrator(alone.base, key).request('GET', '/v1/products?limit=1')).status).toBe(200)
    expect(
      (await asIntegrator(alone.base, { key: regenerated.key, secret: regenerated.newSecret }).request('GET', '/v1/products?limit=1'))
        .status,
    ).toBe(200)
    // As the rotation said: the graced old secret needed the old key.
    expect(
      (await asIntegrator(alone.base, { key: regenerated.key, secret: regenerated.oldSecret }).request('GET', '/v1/products?limit=1'))
        .status,
    ).toBe(401)
    // The old key's sessions end with it.
    expect((await fetch(`${alone.base}/stores`, { headers: { authorization: `Bearer ${oldSessionToken}` } })).status).toBe(401)
    const before = receiver.received.length
    expect((await asIntegrator(alone.base, keys[1]!).order(productId)).status).toBe(201)
    await receiver.waitFor(before + 1, 30_000)
    expect(unverifiedDeliveries(hookSecrets.current) + unverifiedDeliveries(hookSecrets.old)).toBe(0)
    // Revealing a key shows the secret it was created with.
    const admin = await signIn(alone.base)
    const reveal = await admin.request('POST', `/stores/demo/api-keys/${keys[2]!.id}/reveal`, { password: ADMIN_ENV.ADMIN_PASSWORD })
    expect(reveal.status).toBe(200)
    expect(((await reveal.json()) as { secret: string }).secret).toBe(keys[2]!.secret)
  }, 60_000)

  it('refuses to run with a key that cannot read what is stored, and changes nothing', async () => {
    const before = await stored()
    const wrong = await cli({ ...common(), SECRET_KEY: randomBase62(48) }, 'secrets', 'rotate')
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toMatch(/made by a key that is neither SECRET_KEY nor in SECRET_KEY_PREVIOUS/)
    expect(await stored()).toEqual(before)
  })
})
