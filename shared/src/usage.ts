import { Type, type Static } from 'typebox'
import { NullableTimestamp, Timestamp } from './common'

export const USAGE_PERIODS = ['24h', '7d', '30d'] as const
/** A store-wide report names at most this many keys: the busiest. */
export const USAGE_TOP_KEYS = 20
export type UsagePeriod = (typeof USAGE_PERIODS)[number]

export const UsageQuery = Type.Object({
  period: Type.Optional(Type.Enum(USAGE_PERIODS, { default: '24h', description: 'The last 24 hours, 7 days or 30 days, hour by hour.' })),
  apiKeyId: Type.Optional(
    Type.String({ pattern: '^key_[0-9A-Za-z]{1,64}$', description: 'Only this key (default: all keys of the store).' }),
  ),
})
export type UsageQuery = Static<typeof UsageQuery>

const Count = Type.Integer({ minimum: 0 })

/** Integrator requests by outcome. */
export const UsageCounts = Type.Object(
  {
    success: Type.Integer({ minimum: 0, description: '2xx answers' }),
    clientError: Type.Integer({ minimum: 0, description: '4xx answers other than 401, 403 and 429' }),
    authError: Type.Integer({ minimum: 0, description: '401 and 403 answers' }),
    rateLimited: Type.Integer({ minimum: 0, description: '429 answers' }),
    serverError: Count,
  },
  { title: 'UsageCounts' },
)
export type UsageCounts = Static<typeof UsageCounts>

export const UsageBucket = Type.Object({ hour: Timestamp, ...UsageCounts.properties }, { title: 'UsageBucket' })
export type UsageBucket = Static<typeof UsageBucket>

export const UsageKeySummary = Type.Object(
  {
    apiKeyId: Type.String(),
    description: Type.String(),
    lastUsedAt: NullableTimestamp,
    lastUsedIp: Type.Union([Type.String(), Type.Null()]),
    totals: UsageCounts,
  },
  { title: 'UsageKeySummary' },
)
export type UsageKeySummary = Static<typeof UsageKeySummary>

export const UsageReport = Type.Object(
  {
    period: Type.Enum(USAGE_PERIODS),
    from: Timestamp,
    to: Timestamp,
    series: Type.Array(UsageBucket, { description: 'One bucket per hour, oldest first, zero-filled.' }),
    keys: Type.Array(UsageKeySummary, {
      description: `With \`apiKeyId\`, that key. Otherwise the keys that made requests in the period, the busiest first, at most ${USAGE_TOP_KEYS}.`,
    }),
  },
  { title: 'UsageReport' },
)
export type UsageReport = Static<typeof UsageReport>
