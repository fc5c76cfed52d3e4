import { build } from 'esbuild'

// One ESM bundle per entry; node_modules stay external, the workspace `shared` is bundled in.
await build({
  entryPoints: ['src/main.ts', 'src/migrate.ts', 'src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  external: [],
  plugins: [
    {
      name: 'bundle-workspace',
      setup(b) {
        b.onResolve({ filter: /^@deskflow\/shared$/ }, () => ({ path: new URL('../shared/src/index.ts', import.meta.url).pathname }))
      },
    },
  ],
  logLevel: 'warning',
})
