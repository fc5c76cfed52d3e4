import { Type } from 'typebox'

export const HealthResponse = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
    checks: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { title: 'HealthResponse' },
)
