import { build } from 'esbuild'

/**
 * Packages bundled in rather than loaded from node_modules at start: pure JavaScript spread
 * over many small files (typebox alone is about 680 modules), whose loading was most of the
 * time from start to ready. Nothing else imports them, so there is one copy either way.
 */
const BUNDLED = /^(typebox|drizzle-orm)(\/|$)/

// One ESM bundle per entry; the workspace `shared` and BUNDLED are bundled in, other packages stay external.
await build({
  entryPoints: ['src/main.ts', 'src/migrate.ts', 'src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  plugins: [
    {
      name: 'bundle-workspace',
      setup(b) {
        b.onResolve({ filter: /^@deskflow\/shared$/ }, () => ({ path: new URL('../shared/src/index.ts', import.meta.url).pathname }))
        // A bare specifier (a package) stays external unless BUNDLED.
        b.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED.test(args.path) ? undefined : { path: args.path, external: true }))
      },
    },
  ],
  logLevel: 'warning',
})
