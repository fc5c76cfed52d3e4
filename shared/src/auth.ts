import { Type, type Static } from 'typebox'
import { StoreRoleSchema } from './team'

export const LoginBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254, examples: ['admin@example.com'] }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { title: 'LoginBody', additionalProperties: false },
)
export type LoginBody = Static<typeof LoginBody>

/** The least length of an admin password: ADMIN_PASSWORD's and every chosen one's. */
export const PASSWORD_MIN_LENGTH = 12

const passwordChangeRequired = Type.Boolean({
  description:
    'True after signing in with a one-time password (one generated for this admin by someone else): until `POST /auth/password` sets their own, every other admin route answers 403 `password_change_required`.',
})

export const Admin = Type.Object(
  {
    id: Type.String({ examples: ['adm_4Lx9Qb2mT7'] }),
    email: Type.String(),
  },
  { title: 'Admin' },
)
export type Admin = Static<typeof Admin>

export const LoginResponse = Type.Object(
  {
    admin: Admin,
    token: Type.String({ description: 'The session JWT, for `Authorization: Bearer`. Browsers use the HttpOnly cookie instead.' }),
    expiresAt: Type.String({ format: 'date-time' }),
    passwordChangeRequired,
  },
  { title: 'LoginResponse' },
)
export type LoginResponse = Static<typeof LoginResponse>

export const MeResponse = Type.Object({ admin: Admin, passwordChangeRequired }, { title: 'MeResponse' })
export type MeResponse = Static<typeof MeResponse>

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 1024, description: 'The password the admin signed in with.' }),
    newPassword: Type.String({
      minLength: PASSWORD_MIN_LENGTH,
      maxLength: 1024,
      description: `At least ${PASSWORD_MIN_LENGTH} characters, and not the current password.`,
      examples: ['a long password of my own'],
    }),
  },
  { title: 'ChangePasswordBody', additionalProperties: false },
)
export type ChangePasswordBody = Static<typeof ChangePasswordBody>

export const Store = Type.Object(
  {
    key: Type.String({ examples: ['demo'] }),
    name: Type.String({ examples: ['Demo Store'] }),
    role: StoreRoleSchema,
  },
  { title: 'Store' },
)
export type Store = Static<typeof Store>

export const StoreList = Type.Object({ data: Type.Array(Store) }, { title: 'StoreList' })
export type StoreList = Static<typeof StoreList>

/**
 * The header that a request signed in with the session cookie must carry to change
 * anything (unless the browser says it comes from the app's own origin with
 * `Sec-Fetch-Site`). A page of another origin cannot send it without a CORS preflight,
 * which the server never grants. Any value; the web app sends `1`.
 */
export const CSRF_HEADER = 'Deskflow-CSRF'
