/** Where an admin who signed in with a one-time password chooses their own, before anything else. */
export const CHOOSE_PASSWORD_PATH = '/choose-password'

/** Only same-origin paths: `?from=` must not turn the login page into an open redirect. */
export function safeRedirect(target: string | null | undefined, fallback = '/'): string {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback
  if (target === '/login' || target.startsWith('/login?')) return fallback
  if (target === CHOOSE_PASSWORD_PATH || target.startsWith(`${CHOOSE_PASSWORD_PATH}?`)) return fallback
  return target
}

/** The choose-your-password page, then `from` (where the admin was heading). */
export function choosePasswordPath(from: string): string {
  const target = safeRedirect(from)
  return target === '/' ? CHOOSE_PASSWORD_PATH : `${CHOOSE_PASSWORD_PATH}?from=${encodeURIComponent(target)}`
}
