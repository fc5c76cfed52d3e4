import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import type { CreatedApiKey, LoginResponse } from '@deskflow/shared'
import { serializeError, serverLogLines } from '../src/lib/logger'
import { createTestDatabase, type TestDatabase } from './helpers/db'
import { basic } from './helpers/integrator'
import { freePort, startServerProcess } from './helpers/process'

/**
 * No customer data and no query parameter reaches the log, at any level: not through
 * PostgreSQL's error messages and details, nor through the embedded server's own log.
 */
const CUSTOMER_EMAIL = 'person.private@example.com'

describe('PostgreSQL errors as logged', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(() => database.drop())

  /** A real error from the real server for `text`, serialized as the logger does. */
  async function logged(text: string, values: unknown[] = []) {
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    try {
      await client.query('create temporary table people (email text unique, age int check (age < 200))')
      await client.query('insert into people values ($1, 30)', [CUSTOMER_EMAIL])
      await client.query(text, values)
      throw new Error('expected the query to fail')
    } catch (err) {
      return JSON.stringify(serializeError(err))
    } finally {
      await client.end()
    }
  }

  it.each([
    ['a unique violation (detail: Key (email)=(…))', 'insert into people values ($1, 31)', [CUSTOMER_EMAIL]],
    ['a value that is not a number', 'select $1::int', [CUSTOMER_EMAIL]],
    ['a check violation (detail: the failing row)', 'insert into people values ($1, 500)', [`x${CUSTOMER_EMAIL}`]],
    ['a literal in the statement itself', `select '${CUSTOMER_EMAIL}'::int`, []],
  ])('%s: keeps the code and names, never the values', async (_name, text, values) => {
    const line = await logged(text, values)
    expect(line).toMatch(/"code":"\w{5}"/)
    expect(line).not.toContain('person.private')
  })
})

describe('the embedded PostgreSQL log, at LOG_LEVEL=debug', () => {
  it('keeps server lines and drops every line about a failed query', () => {
    const output = [
      '2026-11-30 17:00:00.000 UTC [42] LOG:  database system is ready to accept connections',
      `2026-11-30 17:00:01.000 UTC [43] ERROR:  duplicate key value violates unique constraint "customers_store_email_idx"`,
      `2026-11-30 17:00:01.000 UTC [43] DETAIL:  Key (store_id, email)=(sto_1, ${CUSTOMER_EMAIL}) already exists.`,
      `2026-11-30 17:00:01.000 UTC [43] STATEMENT:  insert into "customers" values ($1, $2)`,
      `\tand a continuation of that statement with ${CUSTOMER_EMAIL}`,
      '2026-11-30 17:00:02.000 UTC [42] LOG:  checkpoint starting: time',
    ].join('\n')
    const kept = serverLogLines(output)
    expect(kept).toHaveLength(2)
    expect(kept.join('\n')).not.toContain('person.private')
    expect(kept.join('\n')).toContain('ready to accept connections')
  })

  it('a duplicate customer through the running server leaves no trace of the customer in its output', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'deskflow-logs-'))
    await chmod(dataDir, 0o755)
    const port = await freePort()
    const server = startServerProcess({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'debug', ADMIN_EMAIL: 'logs@example.com', ADMIN_PASSWORD: 'a long logs password' })
    try {
      await server.ready
      const base = `http://127.0.0.1:${port}`
      const json = { 'content-type': 'application/json' }
      const login = (await (await fetch(`${base}/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'logs@example.com', password: 'a long logs password' }) })).json()) as LoginResponse
      const key = (await (
        await fetch(`${base}/stores/demo/api-keys`, { method: 'POST', headers: { ...json, authorization: `Bearer ${login.token}` }, body: JSON.stringify({ description: 'logs', permissions: ['write_customers'] }) })
      ).json()) as CreatedApiKey
      const create = () =>
        fetch(`${base}/v1/customers`, { method: 'POST', headers: { ...json, authorization: basic(key.key, key.secret) }, body: JSON.stringify({ email: CUSTOMER_EMAIL, firstName: 'Private', lastName: 'Person' }) })
      expect((await create()).status).toBe(201)
      expect((await create()).status).toBe(409)
      // The embedded server writes its log asynchronously.
      await new Promise((r) => setTimeout(r, 500))
      server.child.kill('SIGTERM')
      await server.exited
      expect(server.output()).toContain('"postgres"')
      expect(server.output()).not.toContain('person.private')
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL')
      await rm(dataDir, { recursive: true, force: true })
    }
  }, 60_000)
})
