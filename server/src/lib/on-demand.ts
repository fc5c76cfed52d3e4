import { createRequire } from 'node:module'

/**
 * Loads a package the first time it is needed instead of at start: for those only some
 * settings use (pino-pretty at a terminal, ioredis with `REDIS_URL`, prom-client with
 * `METRICS_PORT`). Each is many files, and loading files is most of the time from start to
 * ready. Callers import the package's types only (`import type`), so nothing loads it early.
 */
export const loadOnDemand = createRequire(import.meta.url)
