import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import { PASSWORD_MIN_LENGTH } from '@deskflow/shared'
import { parseTrustProxy } from './lib/trust-proxy'

const Env = Type.Object({
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATA_DIR: Type.String({ minLength: 1, default: './.data' }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  SECRET_KEY: Type.Optional(Type.String({ minLength: 32 })),
  SECRET_KEY_PREVIOUS: Type.Optional(
    Type.Array(Type.String({ minLength: 32 }), {
      minItems: 1,
      description: 'Keys SECRET_KEY replaced, separated by commas: still read what they made until `secrets rotate` ran.',
    }),
  ),
  ADMIN_EMAIL: Type.Optional(Type.String({ format: 'email' })),
  ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: PASSWORD_MIN_LENGTH })),
  WEBHOOK_ALLOW_PRIVATE_URLS: Type.Boolean({ default: false }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  LOGIN_RATE_LIMIT: Type.Integer({ minimum: 1, default: 10, description: 'Sign-in attempts a minute per address and email.' }),
  LOGIN_RATE_LIMIT_PER_ADDRESS: Type.Integer({
    minimum: 1,
    default: 30,
    description: 'Sign-in attempts a minute per address, whatever the email.',
  }),
  API_AUTH_FAILURE_LIMIT_PER_ADDRESS: Type.Integer({
    minimum: 1,
    default: 30,
    description: 'Failed integrator authentications a minute per address; then 429 before any check.',
  }),
  API_AUTH_FAILURE_LIMIT_PER_KEY: Type.Integer({
    minimum: 1,
    default: 100,
    description: 'Failed integrator authentications a minute per API key; then wrong secrets get 429, the right one still works.',
  }),
  SESSION_TTL_HOURS: Type.Integer({ minimum: 1, maximum: 720, default: 12 }),
  TRUST_PROXY: Type.Union([Type.Literal(false), Type.Integer({ minimum: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })], {
    default: false,
    description: 'false, the number of proxies in front of the server, or their addresses and CIDR ranges.',
  }),
  WEB_DIST: Type.Optional(Type.String()),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  ROLE: Type.Enum(['all', 'api', 'worker'], {
    default: 'all',
    description: 'all: API and delivery workers; api: no workers; worker: workers only.',
  }),
  WEBHOOK_ALLOW_HTTP: Type.Boolean({ default: false }),
  WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60000, default: 15000 }),
  WEBHOOK_RETRY_SCALE: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 1 }),
  WEBHOOK_DISABLE_AFTER_HOURS: Type.Number({ exclusiveMinimum: 0, default: 120 }),
  WEBHOOK_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 500, default: 20 }),
  WORKER_HEARTBEAT_SECONDS: Type.Number({ minimum: 0.1, maximum: 300, default: 5 }),
  USAGE_FLUSH_SECONDS: Type.Number({ minimum: 0.05, maximum: 3600, default: 5 }),
  EVENTS_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 30 }),
  METRICS_PORT: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 65535, description: 'Prometheus metrics at /metrics on this port; off when unset.' }),
  ),
  METRICS_HOST: Type.String({ minLength: 1, default: '127.0.0.1', description: 'The address the metrics listener binds to.' }),
})

export type Config = Static<typeof Env>

export class ConfigError extends Error {
  override name = 'ConfigError'
}

const INTEGERS = [
  'PORT',
  'LOGIN_RATE_LIMIT',
  'LOGIN_RATE_LIMIT_PER_ADDRESS',
  'API_AUTH_FAILURE_LIMIT_PER_ADDRESS',
  'API_AUTH_FAILURE_LIMIT_PER_KEY',
  'SESSION_TTL_HOURS',
  'WEBHOOK_TIMEOUT_MS',
  'WEBHOOK_CONCURRENCY',
  'EVENTS_RETENTION_DAYS',
  'METRICS_PORT',
] as const
const DECIMALS = ['USAGE_FLUSH_SECONDS', 'WEBHOOK_RETRY_SCALE', 'WEBHOOK_DISABLE_AFTER_HOURS', 'WORKER_HEARTBEAT_SECONDS'] as const
const BOOLEANS = ['WEBHOOK_ALLOW_PRIVATE_URLS', 'WEBHOOK_ALLOW_HTTP'] as const

/**
 * Settings that weaken a protection, each with what it lets through: written as warnings at
 * every start, so a development setting left on in production is seen.
 */
export function unsafeSettings(config: Pick<Config, 'WEBHOOK_ALLOW_PRIVATE_URLS' | 'WEBHOOK_ALLOW_HTTP'>): string[] {
  const warnings: string[] = []
  if (config.WEBHOOK_ALLOW_PRIVATE_URLS)
    warnings.push(
      'WEBHOOK_ALLOW_PRIVATE_URLS is on: webhooks may be sent to private and internal addresses (this machine, the local network, cloud metadata). For local development only.',
    )
  if (config.WEBHOOK_ALLOW_HTTP)
    warnings.push(
      'WEBHOOK_ALLOW_HTTP is on: webhooks may be sent over plain http, readable and changeable on the way. For local development only.',
    )
  return warnings
}

/** Reads the environment; on bad input throws one message listing every offending variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {}
  for (const name of Object.keys(Env.properties)) {
    const value = env[name]
    if (value !== undefined && value !== '') raw[name] = value
  }
  const problems: string[] = []
  for (const name of [...INTEGERS, ...DECIMALS]) {
    if (raw[name] === undefined) continue
    const n = Number(raw[name])
    const whole = (INTEGERS as readonly string[]).includes(name)
    if (!Number.isFinite(n) || (whole && !Number.isInteger(n))) {
      problems.push(`${name} must be a ${whole ? 'whole ' : ''}number (got "${String(raw[name])}")`)
    } else raw[name] = n
  }
  for (const name of BOOLEANS) {
    if (raw[name] === undefined) continue
    const v = String(raw[name]).toLowerCase()
    if (v === 'true' || v === '1') raw[name] = true
    else if (v === 'false' || v === '0') raw[name] = false
    else problems.push(`${name} must be true or false (got "${String(raw[name])}")`)
  }
  if (raw.TRUST_PROXY !== undefined) {
    const trust = parseTrustProxy(String(raw.TRUST_PROXY))
    if ('value' in trust) raw.TRUST_PROXY = trust.value
    else {
      delete raw.TRUST_PROXY
      problems.push(trust.problem)
    }
  }
  if (raw.SECRET_KEY_PREVIOUS !== undefined) {
    const keys = String(raw.SECRET_KEY_PREVIOUS)
      .split(',')
      .map((key) => key.trim())
      .filter((key) => key !== '')
    if (keys.some((key) => key.length < 32))
      problems.push('SECRET_KEY_PREVIOUS must list keys of at least 32 characters, separated by commas')
    if (keys.length === 0) delete raw.SECRET_KEY_PREVIOUS
    else raw.SECRET_KEY_PREVIOUS = keys
  }
  const withDefaults = Value.Default(Env, raw) as Record<string, unknown>
  for (const error of Value.Errors(Env, withDefaults)) {
    const name = error.instancePath.replace(/^\//, '')
    if (problems.some((p) => p.startsWith(`${name.split('/')[0]} `))) continue
    const hint = name === 'SECRET_KEY' ? ' (at least 32 characters; generate one with `openssl rand -base64 48`)' : ''
    problems.push(`${name} ${error.message}${hint}`)
  }
  const config = withDefaults as Config
  if (config.DATABASE_URL && !config.SECRET_KEY) {
    problems.push('SECRET_KEY is required when DATABASE_URL is set (at least 32 characters; generate one with `openssl rand -base64 48`)')
  }
  if ((config.ADMIN_EMAIL === undefined) !== (config.ADMIN_PASSWORD === undefined)) {
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD must be set together')
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`)
  }
  return config
}
