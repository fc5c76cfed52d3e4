import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { connect, runMigrations } from '../src/db'
import { randomBase62 } from '../src/lib/ids'
import { useServerProcesses } from './helpers/process'
import { runPsqlScript, withDatabase } from './helpers/psql-script'
import { useReceivers, type Receiver } from './helpers/receiver'
import { asIntegrator, serverEnv, signIn } from './helpers/remote'

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

// Registered first so that it runs last, once the servers have stopped.
afterAll(async () => {
  await superuser(async (c) => {
    for (const name of created.databases) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`)
    for (const name of created.roles.reverse()) await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(name)}`)
  })
})
const receivers = useReceivers()
const servers = useServerProcesses()

beforeAll(async () => {
  receiver = await receivers()
})

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
    for (const ddl of [
      'create table intruder (id int)',
      'alter table api_keys add column intruder int',
      'drop table orders',
      'create schema intruder',
      'create role intruder',
    ]) {
      await expect(client.query(ddl), ddl).rejects.toMatchObject({ code: '42501' })
    }
    const { rows } = await client.query('select rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user')
    expect(rows[0]).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false })
  } finally {
    await client.end()
  }
}

/**
 * The built server as the role: first admin, a key, an integrator call, an order whose
 * webhook is delivered, and a customer (a create in one statement, which calls the
 * migrations' own function to check its key again).
 */
async function serveAs(url: string) {
  const server = await servers.serve({ ...serverEnv(url), WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_ALLOW_HTTP: 'true' })
  const admin = await signIn(server.base)
  await admin.addWebhook(receiver.url)
  const key = await admin.createKey({ description: 'roles', permissions: ['read_products', 'write_orders', 'write_customers'] })
  const integrator = asIntegrator(server.base, key)
  const [product] = await integrator.products()
  const before = receiver.received.length
  const order = await integrator.order(product!.id)
  expect(order.status).toBe(201)
  const delivered = await receiver.waitFor(before + 1, 15_000)
  expect(JSON.parse(delivered.at(-1)!.body)).toMatchObject({ type: 'order.created' })
  const customer = await integrator.request('POST', '/v1/customers', { email: 'roles@example.com', firstName: 'Ada', lastName: 'Lovelace' })
  expect(customer.status, await customer.clone().text()).toBe(201)
  server.child.kill('SIGTERM')
  expect(await server.exited).toBe(0)
}

describe('least-privilege database roles (scripts/postgres)', () => {
  const database = `deskflow_roles_${suffix}`
  const owner = role(`deskflow_owner_${suffix}`)
  const app = role(`deskflow_app_${suffix}`)
  const ownerUrl = () => withDatabase(serverUrl(), database, owner)
  const appUrl = () => withDatabase(serverUrl(), database, app)

  beforeAll(async () => {
    await createDatabase(database)
    await runPsqlScript(serverUrl(), path.join(scripts, 'owner-role.sql'), { database, owner: owner.user, owner_password: owner.password })
    await runPsqlScript(serverUrl(), path.join(scripts, 'app-role.sql'), {
      database,
      owner: owner.user,
      app: app.user,
      app_password: app.password,
    })
  })

  it('the runtime role cannot apply the migrations, and says who must', async () => {
    const db = connect(appUrl())
    try {
      await expect(runMigrations(db)).rejects.toThrow(
        /Run `node server\/dist\/migrate.js` with DATABASE_URL set to the role that owns the schema/,
      )
    } finally {
      await db.close()
    }
  })

  it('the owner role, no superuser, applies them (our tables and graphile-worker schema)', async () => {
    const db = connect(ownerUrl())
    try {
      await runMigrations(db)
      const { rows } = await db.pool.query<{ nspname: string }>(
        `select nspname from pg_namespace where nspname in ('drizzle', 'graphile_worker') order by 1`,
      )
      expect(rows.map((r) => r.nspname)).toEqual(['drizzle', 'graphile_worker'])
      const {
        rows: [me],
      } = await db.pool.query('select rolsuper, rolbypassrls from pg_roles where rolname = current_user')
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
    await runPsqlScript(serverUrl(), path.join(scripts, 'app-role.sql'), {
      database,
      owner: migratedBy,
      app: app.user,
      app_password: app.password,
    })
    await serveAs(withDatabase(serverUrl(), database, app))
    await expectNoDdl(withDatabase(serverUrl(), database, app))
  })
})
