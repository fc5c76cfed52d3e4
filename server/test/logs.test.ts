import { describe, expect, it } from 'vitest'
import pg from 'pg'
import { serializeError, serverLogLines } from '../src/lib/logger'
import { useTestDatabase } from './helpers/db'
import { useDataDirs } from './helpers/embedded'
import { useServerProcesses } from './helpers/process'
import { ADMIN_ENV, asIntegrator, signIn } from './helpers/remote'

/**
 * No customer data and no query parameter reaches the log, at any level: not through
 * PostgreSQL's error messages and details, nor through the embedded server's own log.
 */
const CUSTOMER_EMAIL = 'person.private@example.com'

describe('PostgreSQL errors as logged', () => {
  const database = useTestDatabase()

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

  const newDataDir = useDataDirs()
  const servers = useServerProcesses('SIGKILL')

  it('a duplicate customer through the running server leaves no trace of the customer in its output', async () => {
    const server = await servers.serve({ DATA_DIR: await newDataDir('deskflow-logs-'), LOG_LEVEL: 'debug', ...ADMIN_ENV })
    const admin = await signIn(server.base)
    const key = await admin.createKey({ description: 'logs', permissions: ['write_customers'] })
    const create = () =>
      asIntegrator(server.base, key).request('POST', '/v1/customers', { email: CUSTOMER_EMAIL, firstName: 'Private', lastName: 'Person' })
    expect((await create()).status).toBe(201)
    expect((await create()).status).toBe(409)
    // The embedded server writes its log asynchronously.
    await new Promise((r) => setTimeout(r, 500))
    server.child.kill('SIGTERM')
    await server.exited
    expect(server.output()).toContain('"postgres"')
    expect(server.output()).not.toContain('person.private')
  }, 60_000)
})
