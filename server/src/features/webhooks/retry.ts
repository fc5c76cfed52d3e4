import { RETRY_SCHEDULE_SECONDS } from '@deskflow/shared'
import type { Config } from '../../config'
import type { UrlPolicy } from './ssrf'

export interface WebhookSettings extends UrlPolicy {
  /** Multiplies every retry delay (tests run the schedule in milliseconds). */
  retryScale: number
  /** A webhook failing without a single success for this long is disabled. */
  disableAfterMs: number
  /** How long one attempt may take (the sender's timeout). */
  timeoutMs: number
}

const MAX_RETRY_AFTER_S = 24 * 3600

/** 432000000 → "5 days"; 3600000 → "1 hour"; 90000 → "2 minutes". */
export function formatSpan(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ]
  const [size, name] = units.find(([u]) => ms >= u) ?? units.at(-1)!
  const n = Math.max(1, Math.round(ms / size))
  return `${n} ${name}${n === 1 ? '' : 's'}`
}

/** The delay before attempt `attemptsMade + 1`, or null when the schedule is used up. */
export function nextDelaySeconds(attemptsMade: number, retryAfterSeconds: number | null): number | null {
  if (attemptsMade >= RETRY_SCHEDULE_SECONDS.length) return null
  const scheduled = RETRY_SCHEDULE_SECONDS[attemptsMade]!
  return Math.max(scheduled, Math.min(retryAfterSeconds ?? 0, MAX_RETRY_AFTER_S))
}

/**
 * How long one delivery can keep failing before it gives up: the schedule's sum.
 * A failure after a longer quiet gap starts a new failing streak.
 */
export function retryHorizonMs(retryScale: number): number {
  return RETRY_SCHEDULE_SECONDS.reduce<number>((sum, s) => sum + s, 0) * 1000 * retryScale + 60_000
}

export function webhookSettingsFrom(config: Config): WebhookSettings {
  return {
    allowHttp: config.WEBHOOK_ALLOW_HTTP,
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_URLS,
    retryScale: config.WEBHOOK_RETRY_SCALE,
    disableAfterMs: config.WEBHOOK_DISABLE_AFTER_HOURS * 3600_000,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
  }
}
