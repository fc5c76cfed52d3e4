import { readFile } from 'node:fs/promises'
import pg from 'pg'

/** `url` with another database. */
export function withDatabase(url: string, database: string, credentials?: { user: string; password: string }): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  if (credentials) {
    u.username = credentials.user
    u.password = credentials.password
  }
  return u.toString()
}

/**
 * Runs one of scripts/postgres/*.sql as `psql -v name=value … -f file` would, for the part
 * of psql they use: `:"name"` and `:'name'` outside dollar quotes, `\connect :"name"`,
 * statements that end a line with `;`, and `DO $$ … $$` blocks.
 */
export async function runPsqlScript(url: string, file: string, vars: Record<string, string>): Promise<void> {
  const value = (name: string) => {
    if (!(name in vars)) throw new Error(`${file}: no value for :${name}`)
    return vars[name]!
  }
  let client = new pg.Client(url)
  await client.connect()
  try {
    let statement = ''
    let inDollarQuote = false
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      if (!inDollarQuote && (!line.trim() || line.trimStart().startsWith('--'))) continue
      const connect = /^\\connect\s+:"(\w+)"\s*$/.exec(line)
      if (!inDollarQuote && connect) {
        await client.end()
        client = new pg.Client(withDatabase(url, value(connect[1]!)))
        await client.connect()
        continue
      }
      statement += `${line}\n`
      if ((line.match(/\$\$/g) ?? []).length % 2 === 1) inDollarQuote = !inDollarQuote
      if (inDollarQuote || !line.trimEnd().endsWith(';')) continue
      const text = statement.includes('$$')
        ? statement
        : statement
            .replace(/:"(\w+)"/g, (_, name: string) => client.escapeIdentifier(value(name)))
            .replace(/:'(\w+)'/g, (_, name: string) => client.escapeLiteral(value(name)))
      await client.query(text)
      statement = ''
    }
    if (statement.trim()) throw new Error(`${file}: unterminated statement: ${statement}`)
  } finally {
    await client.end()
  }
}
