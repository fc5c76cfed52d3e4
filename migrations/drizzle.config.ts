import { defineConfig } from 'drizzle-kit'

// Run from the repository root: `pnpm db:generate` writes SQL into migrations/sql.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/src/db/schema.ts',
  out: './migrations/sql',
})
