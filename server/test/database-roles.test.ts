import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { CreatedApiKey, LoginResponse, Product } from '@deskflow/shared'
import { connect, runMigrations } from '../src/db'
import { randomBase62 } from '../src/lib/ids'
import { basic } from './helpers/integrator'
import { freePort, startServerProcess, type ServerProcess } from './helpers/process'
import { runPsqlScript, withDatabase } from './helpers/psql-script'
import { startReceiver, type Receiver } from './helpers/receiver'

/**
 * The least-privilege roles of docs/security.md, made with exactly scripts/postgres/*.sql:
 * an owner (no superuser) applies the migrations, and the whole server (API, bootstrap,
 * webhook delivery workers) runs as a role that may only read and write rows.
 */
const scripts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/postgres')
const serverUrl = () => inject('databaseUrl')
const suffix = randomBytes(4).toString('hex')
const created: { databases: string[]; roles: string[] } = { databases: [], roles: [] }
let receiver: Receiver
const processes: ServerProcess[] = []

async function superuser<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(serverUrl())
  await client.connect()
  try {
    return await use(client)
  } finally {
    await client.end()
  }
}

async function createDatabase(name: string) {
  await superuser((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`))
  created.databases.push(name)
}

function role(name: string) {
  created.roles.push(name)
  return { user: name, password: randomBase62(24) }
}

/** As the role: a table, a column, a schema, a role: all refused. */
async function expectNoDdl(url: string) {
  const client = new pg.Client(url)
  await client.connect()
  try {
    for (const ddl of ['create table intruder (id int)', 'alter table api_keys add column intruder int', 'drop table orders', 'create schema intruder', 'create role intruder']) {
      await expect(client.query(ddl), ddl).rejects.toMatchObject({ code: '42501' })
    }
    const { rows } = await client.query('select rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user')
    expect(rows[0]).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false })
  } finally {
    await client.end()
  }
}

/** The built server as the role: first admin, a key, an integrator call, an order whose webhook is delivered. */
async function serveAs(url: string) {
  const port = await freePort()
  const server = startServerProcess({
    DATABASE_URL: url,
    SECRET_KEY: randomBase62(48),
    ADMIN_EMAIL: 'roles@example.com',
    ADMIN_PASSWORD: 'least privilege password',
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_ALLOW_HTTP: 'true',
    PORT: String(port),
  })
  processes.push(server)
  await server.ready
  const api = `http://127.0.0.1:${port}`
  const json = { 'content-type': 'application/json' }
  const login = await fetch(`${api}/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'roles@example.com', password: 'least privilege password' }) })
  expect(login.status).toBe(200)
  const admin = { ...json, authorization: `Bearer ${((await login.json()) as LoginResponse).token}` }
  const hook = await fetch(`${api}/stores/demo/webhooks`, { method: 'POST', headers: admin, body: JSON.stringify({ url: receiver.url, event: 'order.created' }) })
  expect(hook.status).toBe(201)
  const keyRes = await fetch(`${api}/stores/demo/api-keys`, { method: 'POST', headers: admin, body: JSON.stringify({ description: 'roles', permissions: ['read_products', 'write_orders'] }) })
  expect(keyRes.status).toBe(201)
  const key = (await keyRes.json()) as CreatedApiKey
  const integrator = { ...json, authorization: basic(key.key, key.secret) }
  const products = await fetch(`${api}/v1/products?limit=1`, { headers: integrator })
  expect(products.status).toBe(200)
  const product = ((await products.json()) as { data: Product[] }).data[0]!
  const before = receiver.received.length
  const order = await fetch(`${api}/v1/orders`, { method: 'POST', headers: integrator, body: JSON.stringify({ lineItems: [{ productId: product.id, quantity: 1 }] }) })
  expect(order.status).toBe(201)
  const delivered = await receiver.waitFor(before + 1, 15_000)
  expect(JSON.parse(delivered.at(-1)!.body)).toMatchObject({ type: 'order.created' })
  server.child.kill('SIGTERM')
  expect(await server.exited).toBe(0)
}

beforeAll(async () => {
  receiver = await startReceiver()
})

afterAll(async () => {
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGTERM')
  await Promise.all(processes.map((p) => p.exited))
  await receiver?.close()
  await superuser(async (c) => {
    for (const name of created.databases) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`)
    for (const name of created.roles.reverse()) await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(name)}`)
  })
})

describe('least-privilege database roles (scripts/postgres)', () => {
  const database = `deskflow_roles_${suffix}`
  const owner = role(`deskflow_owner_${suffix}`)
  const app = role(`deskflow_app_${suffix}`)
  const ownerUrl = () => withDatabase(serverUrl(), database, owner)
  const appUrl = () => withDatabase(serverUrl(), database, app)

  beforeAll(async () => {
    await createDatabase(database)
    await runPsqlScript(serverUrl(), path.join(scripts, 'owner-role.sql'), { database, owner: owner.user, owner_password: owner.password })
    await runPsqlScript(serverUrl(), path.join(scripts, 'app-role.sql'), { database, owner: owner.user, app: app.user, app_password: app.password })
  })

  it('the runtime role cannot apply the migrations, and says who must', async () => {
    const db = connect(appUrl())
    try {
      await expect(runMigrations(db)).rejects.toThrow(/Run `node server\/dist\/migrate.js` with DATABASE_URL set to the role that owns the schema/)
    } finally {
      await db.close()
    }
  })

  it('the owner role, no superuser, applies them (our tables and graphile-worker schema)', async () => {
    const db = connect(ownerUrl())
    try {
      await runMigrations(db)
      const { rows } = await db.pool.query<{ nspname: string }>(`select nspname from pg_namespace where nspname in ('drizzle', 'graphile_worker') order by 1`)
      expect(rows.map((r) => r.nspname)).toEqual(['drizzle', 'graphile_worker'])
      const { rows: [me] } = await db.pool.query('select rolsuper, rolbypassrls from pg_roles where rolname = current_user')
      expect(me).toEqual({ rolsuper: false, rolbypassrls: false })
    } finally {
      await db.close()
    }
  })

  it('the whole server runs as the runtime role: bootstrap, keys, integrator API, webhook delivery', { timeout: 60_000 }, async () => {
    await serveAs(appUrl())
  })

  it('the runtime role may change no schema', async () => {
    await expectNoDdl(appUrl())
  })
})

it('docs/security.md shows both scripts exactly as they are', async () => {
  const doc = await readFile(path.resolve(scripts, '../../docs/security.md'), 'utf8')
  for (const name of ['owner-role.sql', 'app-role.sql']) {
    const shown = new RegExp(`<!-- scripts/postgres/${name.replace('.', '\\.')} -->\\n\`\`\`sql\\n([\\s\\S]*?)\`\`\`\\n`).exec(doc)
    expect(shown?.[1], name).toBe(await readFile(path.join(scripts, name), 'utf8'))
  }
})

describe('a database migrated before the runtime role existed', () => {
  const database = `deskflow_roles_old_${suffix}`
  const app = role(`deskflow_app_old_${suffix}`)

  it('app-role.sql grants the rows of every existing table; the server then runs as that role', { timeout: 60_000 }, async () => {
    await createDatabase(database)
    const migrator = connect(withDatabase(serverUrl(), database))
    try {
      await runMigrations(migrator)
    } finally {
      await migrator.close()
    }
    const migratedBy = await superuser(async (c) => (await c.query<{ user: string }>('select current_user as user')).rows[0]!.user)
    await runPsqlScript(serverUrl(), path.join(scripts, 'app-role.sql'), { database, owner: migratedBy, app: app.user, app_password: app.password })
    await serveAs(withDatabase(serverUrl(), database, app))
    await expectNoDdl(withDatabase(serverUrl(), database, app))
  })
})
