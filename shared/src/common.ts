import { Type } from 'typebox'

export const Timestamp = Type.String({ format: 'date-time', examples: ['2026-11-26T12:00:00.000Z'] })
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()])

export const StoreParams = Type.Object({
  key: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'The store key, as in `/store/demo`.' }),
})

export function idParams(prefix: string) {
  return Type.Object({
    key: StoreParams.properties.key,
    id: Type.String({ pattern: `^${prefix}_[0-9A-Za-z]{1,64}$`, description: `An id starting with \`${prefix}_\`.` }),
  })
}

/** Every paginated list's cursor parameter says this. */
export const CURSOR_DESCRIPTION =
  '`nextCursor` of the previous page, passed back unchanged. Opaque and signed: a cursor works only on the list (and store) that returned it; anything else is a 422 naming this parameter.'
