import type { FastifyRateLimitStore } from '@fastify/rate-limit'
import LocalStore from '@fastify/rate-limit/store/LocalStore.js'
import RedisStore from '@fastify/rate-limit/store/RedisStore.js'
import type { Redis } from 'ioredis'

type Result = { current: number; ttl: number }
type Callback = (error: Error | null, result?: Result) => void
/** What the plugin hands a store: its global options, or a route's merged ones. */
interface StoreOptions {
  continueExceeding?: boolean
  exponentialBackoff?: boolean
  routeInfo?: { method: string; url: string }
}

export interface FallbackLog {
  warn(obj: object, message: string): void
  info(message: string): void
}

/**
 * The rate-limit store when several instances share counters through Redis: counts in
 * Redis while it answers, and in this process's memory while it does not, so that no
 * limit (sign-in included) turns off when Redis fails. Each switch is logged once.
 */
export function redisWithMemoryFallback(redis: Redis, log: FallbackLog) {
  let redisDown = false
  const switchTo = (down: boolean, err?: Error) => {
    if (down === redisDown) return
    redisDown = down
    if (down) log.warn({ err }, 'Redis is unavailable: rate limits now count in this process only, until it is back')
    else log.info('Redis is back: rate limits count in Redis again')
  }

  class FallbackStore {
    private readonly shared: RedisStore
    private readonly local: LocalStore

    constructor(
      options: StoreOptions,
      private readonly prefix = 'deskflow-rate-limit-',
    ) {
      const continueExceeding = options.continueExceeding ?? false
      const exponentialBackoff = options.exponentialBackoff ?? false
      this.shared = new RedisStore(continueExceeding, exponentialBackoff, redis, prefix)
      this.local = new LocalStore(continueExceeding, exponentialBackoff)
    }

    private run(method: 'incr' | 'read', key: string, callback: Callback, timeWindow: number, max: number) {
      this.shared[method](
        key,
        (err, result) => {
          if (!err) {
            switchTo(false)
            return callback(null, result)
          }
          switchTo(true, err)
          this.local[method](key, callback, timeWindow, max)
        },
        timeWindow,
        max,
      )
    }

    incr(key: string, callback: Callback, timeWindow: number, max: number) {
      this.run('incr', key, callback, timeWindow, max)
    }

    read(key: string, callback: Callback, timeWindow: number, max: number) {
      this.run('read', key, callback, timeWindow, max)
    }

    child(routeOptions: StoreOptions): FastifyRateLimitStore {
      const route = routeOptions.routeInfo
      return new FallbackStore(
        routeOptions,
        route ? `${this.prefix}${route.method}${route.url}-` : this.prefix,
      ) as unknown as FastifyRateLimitStore
    }
  }

  return FallbackStore
}
