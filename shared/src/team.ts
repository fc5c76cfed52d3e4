import { Type, type Static } from 'typebox'
import { StoreParams, Timestamp } from './common'

/** A member's role in a store, from the most to the least it may do. */
export const STORE_ROLES = ['owner', 'developer', 'viewer'] as const
export type StoreRole = (typeof STORE_ROLES)[number]

export const StoreRoleSchema = Type.Enum(STORE_ROLES, {
  description:
    '`owner`: everything, including the team; `developer`: every key, webhook and secret, but not the team; `viewer`: reads lists, usage and logs only.',
  examples: ['developer'],
})

/** Whether `role` may do what `least` may (an owner does what a developer does, who does what a viewer does). */
export function roleAtLeast(role: string, least: StoreRole): boolean {
  const rank = STORE_ROLES.indexOf(role as StoreRole)
  return rank !== -1 && rank <= STORE_ROLES.indexOf(least)
}

export const MemberParams = Type.Object({
  key: StoreParams.properties.key,
  adminId: Type.String({ pattern: '^adm_[0-9A-Za-z]{1,64}$', description: 'The member’s admin id, starting with `adm_`.' }),
})
export type MemberParams = Static<typeof MemberParams>

const MemberFields = {
  adminId: Type.String({ examples: ['adm_4Lx9Qb2mT7'] }),
  email: Type.String({ examples: ['dev@example.com'] }),
  role: StoreRoleSchema,
  addedAt: { ...Timestamp, description: 'When the admin became a member of this store.' },
}

export const Member = Type.Object(MemberFields, { title: 'Member' })
export type Member = Static<typeof Member>

export const MemberList = Type.Object(
  { data: Type.Array(Member, { description: 'Every member of the store, the earliest first.' }) },
  { title: 'MemberList' },
)
export type MemberList = Static<typeof MemberList>

export const AddMemberBody = Type.Object(
  {
    email: Type.String({
      format: 'email',
      maxLength: 254,
      description: 'An admin’s email (any case). When no admin has it yet, one is created with a generated password.',
      examples: ['dev@example.com'],
    }),
    role: StoreRoleSchema,
  },
  { title: 'AddMemberBody', additionalProperties: false },
)
export type AddMemberBody = Static<typeof AddMemberBody>

export const AddedMember = Type.Object(
  {
    ...MemberFields,
    password: Type.Union([Type.String(), Type.Null()], {
      description:
        'Only when this call created the admin: their generated password, in this answer and nowhere else (only its hash is kept). Hand it to them to sign in. `null` when the admin already existed.',
    }),
  },
  { title: 'AddedMember' },
)
export type AddedMember = Static<typeof AddedMember>

export const UpdateMemberBody = Type.Object({ role: StoreRoleSchema }, { title: 'UpdateMemberBody', additionalProperties: false })
export type UpdateMemberBody = Static<typeof UpdateMemberBody>
