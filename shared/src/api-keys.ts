import { Type, type Static } from 'typebox'
import { Permission } from './permissions'
import { CURSOR_DESCRIPTION, NullableTimestamp, Timestamp, idParams } from './common'

export const API_KEY_PREFIX = 'dfk_'
export const API_SECRET_PREFIX = 'dfs_'
export const DESCRIPTION_MAX = 255

export const Description = Type.String({
  minLength: 1,
  maxLength: DESCRIPTION_MAX,
  description: 'A name for the key. Leading and trailing spaces are trimmed.',
  examples: ['Mobile App Integration'],
})

export const Permissions = Type.Array(Permission, { maxItems: 64, description: 'Duplicates are ignored.' })

export const RATE_LIMIT_DEFAULT = 600

export const AllowedIps = Type.Array(
  Type.String({ minLength: 1, maxLength: 64, description: 'An IPv4 or IPv6 address, or a CIDR range.' }),
  {
    maxItems: 100,
    description: 'When not empty, only requests from these addresses or ranges are accepted.',
    examples: [['203.0.113.0/24', '2001:db8::/32']],
  },
)

export const ExpiresAt = Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
  description: 'After this time the key stops working; `null` means it never expires.',
  examples: ['2027-01-31T23:59:59.000Z'],
})

export const RateLimitPerMinute = Type.Integer({
  minimum: 1,
  maximum: 100000,
  description: 'Requests a minute this key may make before it gets 429.',
  examples: [RATE_LIMIT_DEFAULT],
})

export const ApiKeyParams = idParams('key')
export type ApiKeyParams = Static<typeof ApiKeyParams>

export const CreateApiKeyBody = Type.Object(
  {
    description: Description,
    permissions: Type.Optional(Permissions),
    activated: Type.Optional(Type.Boolean({ default: true })),
    expiresAt: Type.Optional(ExpiresAt),
    allowedIps: Type.Optional(AllowedIps),
    rateLimitPerMinute: Type.Optional(RateLimitPerMinute),
  },
  { title: 'CreateApiKeyBody', additionalProperties: false },
)
export type CreateApiKeyBody = Static<typeof CreateApiKeyBody>

export const UpdateApiKeyBody = Type.Object(
  {
    description: Type.Optional(Description),
    permissions: Type.Optional(Permissions),
    activated: Type.Optional(Type.Boolean()),
    expiresAt: Type.Optional(ExpiresAt),
    allowedIps: Type.Optional(AllowedIps),
    rateLimitPerMinute: Type.Optional(RateLimitPerMinute),
  },
  { title: 'UpdateApiKeyBody', additionalProperties: false, minProperties: 1 },
)
export type UpdateApiKeyBody = Static<typeof UpdateApiKeyBody>

/** A key as lists and details show it: never the full secret. */
export const ApiKey = Type.Object(
  {
    id: Type.String({ examples: ['key_7fQ2mLx9Bv4Tz1'] }),
    description: Type.String(),
    key: Type.String({ description: 'The public identifier, used as the Basic auth user name.', examples: ['dfk_2Xq9…'] }),
    secretLast4: Type.String({ description: 'The last four characters of the secret, to tell keys apart.' }),
    permissions: Type.Array(Permission),
    activated: Type.Boolean(),
    previousSecretExpiresAt: Type.Union([Timestamp, Type.Null()], {
      description: 'While set, the secret replaced by the last regeneration still works until this time.',
    }),
    expiresAt: NullableTimestamp,
    allowedIps: Type.Array(Type.String()),
    rateLimitPerMinute: Type.Integer(),
    lastUsedAt: NullableTimestamp,
    lastUsedIp: Type.Union([Type.String(), Type.Null()]),
    secretCreatedAt: Type.String({
      format: 'date-time',
      examples: ['2026-11-26T12:00:00.000Z'],
      description:
        'When the current secret was made: at creation, then at each regeneration. Secrets are due for rotation after `KEY_SECRET_MAX_AGE_DAYS` (90) days.',
    }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'ApiKey' },
)
export type ApiKey = Static<typeof ApiKey>

export const API_KEYS_PAGE_SIZE = 50
/** A key unused this many days (or never used since created that long ago) is due for review. */
export const KEY_UNUSED_DAYS = 30
/** A secret this many days old is due for rotation. */
export const KEY_SECRET_MAX_AGE_DAYS = 90

export const ApiKeyQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: API_KEYS_PAGE_SIZE, description: 'Keys per page, 1 to 100.' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: CURSOR_DESCRIPTION })),
  search: Type.Optional(
    Type.String({
      maxLength: DESCRIPTION_MAX,
      description: 'Only keys whose description contains this text (any case), or whose key starts with it (`dfk_…`).',
    }),
  ),
  review: Type.Optional(
    Type.Boolean({
      description: `Only keys due for review: unused for ${KEY_UNUSED_DAYS} days or more (never used counts from their creation), or whose secret is ${KEY_SECRET_MAX_AGE_DAYS} days old or more.`,
    }),
  ),
})
export type ApiKeyQuery = Static<typeof ApiKeyQuery>

export const ApiKeyList = Type.Object(
  {
    data: Type.Array(ApiKey),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; `null` on the last page.' }),
  },
  { title: 'ApiKeyList' },
)
export type ApiKeyList = Static<typeof ApiKeyList>

/** The create answer: the only time the secret is returned without a password. */
export const CreatedApiKey = Type.Object(
  {
    id: Type.String(),
    description: Type.String(),
    key: Type.String(),
    secret: Type.String({ description: 'The full secret. Copy it now.', examples: ['dfs_…'] }),
    permissions: Type.Array(Permission),
    activated: Type.Boolean(),
    expiresAt: NullableTimestamp,
    allowedIps: Type.Array(Type.String()),
    rateLimitPerMinute: Type.Integer(),
  },
  { title: 'CreatedApiKey' },
)
export type CreatedApiKey = Static<typeof CreatedApiKey>

export const RevealBody = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: 1024, description: "The signed-in admin's password." }) },
  { title: 'RevealBody', additionalProperties: false },
)
export type RevealBody = Static<typeof RevealBody>

export const RevealedSecret = Type.Object({ id: Type.String(), secret: Type.String() }, { title: 'RevealedSecret' })
export type RevealedSecret = Static<typeof RevealedSecret>

export const GRACE_PERIODS = { none: 0, '1h': 3600, '24h': 86400 } as const
export type GracePeriod = keyof typeof GRACE_PERIODS

export const RegenerateSecretBody = Type.Object(
  {
    gracePeriod: Type.Optional(
      Type.Enum(['none', '1h', '24h'], {
        default: 'none',
        description: 'How long the old secret keeps working: `none` (stops at once), `1h` or `24h`.',
      }),
    ),
  },
  { title: 'RegenerateSecretBody', additionalProperties: false },
)
export type RegenerateSecretBody = Static<typeof RegenerateSecretBody>

export const RegeneratedSecret = Type.Object(
  {
    id: Type.String(),
    secret: Type.String({ description: 'The new secret. Copy it now.' }),
    previousSecretExpiresAt: Type.Union([Timestamp, Type.Null()]),
  },
  { title: 'RegeneratedSecret' },
)
export type RegeneratedSecret = Static<typeof RegeneratedSecret>
