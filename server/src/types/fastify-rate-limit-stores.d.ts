// The stores @fastify/rate-limit ships, used here as the halves of a store that falls back
// from Redis to memory. The package publishes no types for these files.
declare module '@fastify/rate-limit/store/*.js' {
  import type { Redis } from 'ioredis'

  type Result = { current: number; ttl: number }
  type Callback = (error: Error | null, result?: Result) => void

  export default class Store {
    constructor(continueExceeding: boolean, exponentialBackoff: boolean, redisOrCache?: Redis | number, key?: string)
    incr(key: string, callback: Callback, timeWindow: number, max: number): void
    read(key: string, callback: Callback, timeWindow: number, max: number): void
  }
}
