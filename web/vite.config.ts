import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

const API = 'http://127.0.0.1:3000'
const proxied = ['/auth', '/stores', '/v1', '/health', '/openapi.json', '/docs']

export default defineConfig({
  plugins: [react()],
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
})
