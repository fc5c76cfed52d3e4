import { readdirSync } from 'node:fs'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

const featuresOf = (dir) =>
  readdirSync(new URL(dir, import.meta.url), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)

const tests = ['**/*.test.ts', '**/*.test.tsx']

/**
 * Features stay apart (docs/architecture.md, "Boundaries"). On the server a feature
 * uses another through its services and public modules, never through its repositories
 * or routes; the composition root (container.ts) and the plugins wire them together.
 */
const serverFeatureBoundaries = {
  files: ['server/src/features/**/*.ts'],
  ignores: tests,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: String.raw`^\.\./[^./][^/]*/(repo|[^/]*-repo|routes)$`,
            message: "Another feature's repositories and routes are its own: use its service, or have the container pass what you need.",
          },
          {
            regex: String.raw`^\.\./\.\./(plugins|container|app|server|main)(/|$)`,
            message: 'Features sit below the plugins and the composition root and never import them.',
          },
        ],
      },
    ],
  },
}

/** The foundations (db, lib, http) know nothing of features or of how the app is assembled. */
const serverFoundations = {
  files: ['server/src/db/**/*.ts', 'server/src/lib/**/*.ts', 'server/src/http/**/*.ts'],
  ignores: tests,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: String.raw`^\.\./(features|plugins|container|app|server|main)(/|$)`,
            message: 'db, lib and http are the foundations: they never import features, plugins or the composition root.',
          },
        ],
      },
    ],
  },
}

/**
 * In the web app, shared code (components, lib) → features → app routes: a feature never
 * imports another feature or the app; what two features share moves to components or lib.
 */
const webFeatureBoundaries = featuresOf('./web/src/features/').map((feature) => ({
  files: [`web/src/features/${feature}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: String.raw`^@/features/(?!${feature}/)`,
            message: 'A web feature never imports another feature: move what both need to src/components or src/lib.',
          },
          {
            regex: String.raw`^(\.\./){2,}`,
            message: 'Outside its own folders a feature imports through the @/ alias, so these rules can see it.',
          },
          { regex: String.raw`^@/app(/|$)`, message: 'Features never import the app; the app routes compose features.' },
        ],
      },
    ],
  },
}))

const webShared = {
  files: ['web/src/components/**/*.{ts,tsx}', 'web/src/lib/**/*.{ts,tsx}'],
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: [{ regex: String.raw`^@/(features|app)(/|$)`, message: 'Shared components and lib never import features or the app.' }] },
    ],
  },
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.data/**', 'web/test-results/**', 'migrations/sql/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  serverFeatureBoundaries,
  serverFoundations,
  ...webFeatureBoundaries,
  webShared,
)
