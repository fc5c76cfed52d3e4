import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { compression } from 'vite-plugin-compression2'

const API = 'http://127.0.0.1:3000'
const proxied = ['/auth', '/stores', '/v1', '/health', '/openapi.json', '/docs']

export default defineConfig(({ command }) => ({
  plugins: [
    react(),
    // Builds only: writes `.br` (quality 11) and `.gz` (level 9) beside each compressible
    // built file; the server sends them to clients that accept those encodings. Source maps
    // are left out.
    ...(command === 'build' ? [compression({ include: /\.(html|js|mjs|css|svg|json)$/, algorithms: ['brotliCompress', 'gzip'] })] : []),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: {
    port: 5173,
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: API, changeOrigin: false }])),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      // The shared contract builds TypeBox schemas at module level; the web app only needs its
      // constants, so schema construction (TypeBox's `Type.*` and the contract's own schema
      // helpers) is marked pure and drops out of the bundle.
      treeshake: {
        manualPureFunctions: ['Type', 'idParams', 'listOf', 'resourceParams'],
        moduleSideEffects: (id: string) => !/[\\/]typebox[\\/]/.test(id),
        propertyReadSideEffects: false,
      },
    },
  },
}))
