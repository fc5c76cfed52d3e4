import { beforeAll, describe, expect, it } from 'vitest'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import type { CreatedApiKey, CreatedWebhook, RegeneratedSecret, TestDeliveryResult, WebhookSecret } from '@deskflow/shared'
import { useHarness, type Answer } from './helpers/harness'
import { basic } from './helpers/integrator'
import type { Receiver } from './helpers/receiver'

/**
 * Every pair of state-changing admin actions on one API key or one webhook, run at the
 * same time, many times: no 5xx, a deleted object is a 404, and every secret handed out works.
 */
const ROUNDS = Number(process.env.CONCURRENCY_ROUNDS ?? 6)
// Checking that replaced secrets are refused makes many failed authentications from one
// address; their limits have their own tests (limits.test.ts).
const h = useHarness({
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_TIMEOUT_MS: '2000',
  API_AUTH_FAILURE_LIMIT_PER_ADDRESS: '1000000',
  API_AUTH_FAILURE_LIMIT_PER_KEY: '1000000',
})
let receiver: Receiver

beforeAll(async () => {
  receiver = await h.receiver()
})

interface Action {
  name: string
  run(id: string): Promise<Answer>
  /** Statuses it may answer when another action runs at the same time. */
  ok: number[]
}

const KEY_ACTIONS: Action[] = [
  { name: 'edit', run: (id) => h.admin('PATCH', `/api-keys/${id}`, { description: 'edited', activated: true }), ok: [200] },
  {
    name: 'regenerate (1 h grace)',
    run: (id) => h.admin('POST', `/api-keys/${id}/regenerate-secret`, { gracePeriod: '1h' }),
    ok: [200, 409],
  },
  { name: 'delete', run: (id) => h.admin('DELETE', `/api-keys/${id}`), ok: [204] },
]

const WEBHOOK_ACTIONS: Action[] = [
  { name: 'edit', run: (id) => h.admin('PATCH', `/webhooks/${id}`, { status: 'active', events: ['order.created'] }), ok: [200] },
  { name: 'rotate', run: (id) => h.admin('POST', `/webhooks/${id}/rotate-secret`), ok: [200] },
  { name: 'send dummy', run: (id) => h.admin('POST', `/webhooks/${id}/test`), ok: [200] },
  { name: 'delete', run: (id) => h.admin('DELETE', `/webhooks/${id}`), ok: [204] },
]

function pairs(actions: Action[]): Array<[Action, Action]> {
  return actions.flatMap((a, i) => actions.slice(i).map((b): [Action, Action] => [a, b]))
}

/** What either action may answer: its own success, 409 where it says so, and 404 once a delete won. */
function allowed(action: Action, other: Action): number[] {
  const deleting = action.name === 'delete' || other.name === 'delete'
  return [...action.ok, ...(deleting ? [404] : [])]
}

async function integratorStatus(key: string, secret: string) {
  return (await h.v1('GET', '/v1/products?limit=1', undefined, basic(key, secret))).statusCode
}

describe('two actions on one API key at once', () => {
  it.each(pairs(KEY_ACTIONS).map(([a, b]) => [`${a.name} + ${b.name}`, a, b] as const))('%s', async (_name, a, b) => {
    for (let round = 0; round < ROUNDS; round++) {
      const created = (await h.admin('POST', '/api-keys', { description: 'race', permissions: ['read_products'] })).json<CreatedApiKey>()
      const [ra, rb] = await Promise.all([a.run(created.id), b.run(created.id)])
      expect(allowed(a, b), `${a.name}: ${ra.statusCode} ${ra.body}`).toContain(ra.statusCode)
      expect(allowed(b, a), `${b.name}: ${rb.statusCode} ${rb.body}`).toContain(rb.statusCode)
      const deleted = [ra, rb].some((r) => r.statusCode === 204)
      const exists = (await h.admin('GET', `/api-keys/${created.id}`)).statusCode === 200
      expect(exists).toBe(!deleted)
      // Every secret handed out works: the original too, while regenerations keep it for the grace period.
      const secrets = [
        created.secret,
        ...[ra, rb]
          .filter((r) => r.statusCode === 200 && r.json<RegeneratedSecret>().secret)
          .map((r) => r.json<RegeneratedSecret>().secret),
      ]
      const newest = secrets.slice(-2)
      for (const secret of deleted ? [] : newest)
        expect(await integratorStatus(created.key, secret), `secret …${secret.slice(-4)} after ${a.name} + ${b.name}`).toBe(200)
      for (const secret of deleted ? secrets : []) expect(await integratorStatus(created.key, secret)).toBe(401)
    }
  })

  it('two regenerations without a grace period: one secret comes back, and it is the one that works', async () => {
    for (let round = 0; round < ROUNDS * 2; round++) {
      const created = (await h.admin('POST', '/api-keys', { description: 'race', permissions: ['read_products'] })).json<CreatedApiKey>()
      const regenerate = () => h.admin('POST', `/api-keys/${created.id}/regenerate-secret`, { gracePeriod: 'none' })
      const answers = await Promise.all([regenerate(), regenerate()])
      for (const r of answers) expect([200, 409], r.body).toContain(r.statusCode)
      const secrets = answers.filter((r) => r.statusCode === 200).map((r) => r.json<RegeneratedSecret>().secret)
      expect(secrets.length).toBeGreaterThan(0)
      const working = []
      for (const s of secrets) if ((await integratorStatus(created.key, s)) === 200) working.push(s)
      // Exactly one works: the only one handed out, or (when both came back, so they did
      // not overlap) the later one, which replaced the first as two clicks in a row do.
      expect(working).toHaveLength(1)
      if (secrets.length === 1) expect(working).toEqual(secrets)
      expect(await integratorStatus(created.key, created.secret)).toBe(401)
    }
  })
})

describe('two actions on one webhook at once', () => {
  it.each(pairs(WEBHOOK_ACTIONS).map(([a, b]) => [`${a.name} + ${b.name}`, a, b] as const))('%s', async (_name, a, b) => {
    for (let round = 0; round < ROUNDS; round++) {
      const created = (await h.admin('POST', '/webhooks', { url: receiver.url, events: ['order.created'] })).json<CreatedWebhook>()
      const [ra, rb] = await Promise.all([a.run(created.id), b.run(created.id)])
      expect(allowed(a, b), `${a.name}: ${ra.statusCode} ${ra.body}`).toContain(ra.statusCode)
      expect(allowed(b, a), `${b.name}: ${rb.statusCode} ${rb.body}`).toContain(rb.statusCode)
      const deleted = [ra, rb].some((r) => r.statusCode === 204)
      const current = await h.admin('GET', `/webhooks/${created.id}`)
      expect(current.statusCode).toBe(deleted ? 404 : 200)
      if (deleted) continue
      // Deliveries are signed by the two newest secrets handed out: each of them verifies.
      const rotated = [ra, rb].filter((r, i) => [a, b][i]!.name === 'rotate').map((r) => r.json<WebhookSecret>().secret)
      const test = (await h.admin('POST', `/webhooks/${created.id}/test`)).json<TestDeliveryResult>()
      for (const secret of [created.secret, ...rotated].slice(-2)) {
        expect(
          () => new StandardWebhook(secret).verify(test.request.body, test.request.headers),
          `secret …${secret.slice(-4)} after ${a.name} + ${b.name}`,
        ).not.toThrow()
      }
    }
  })
})
