/** Only same-origin paths: `?from=` must not turn the login page into an open redirect. */
export function safeRedirect(target: string | null | undefined, fallback = '/'): string {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback
  if (target === '/login' || target.startsWith('/login?')) return fallback
  return target
}
