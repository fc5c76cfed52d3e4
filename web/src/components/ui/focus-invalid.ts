/**
 * Brings the first problem in `root` to the admin: focuses the first invalid control (or, for a
 * group such as a permissions grid, shows its message) and scrolls it into the middle of the
 * dialog body, clear of the sticky header and footer.
 */
export function focusFirstInvalid(root: ParentNode | null | undefined): boolean {
  const target = root?.querySelector<HTMLElement>('[aria-invalid="true"], .field-error')
  if (!target) return false
  if (target.matches('[aria-invalid="true"]')) target.focus({ preventScroll: true })
  target.scrollIntoView({ block: 'center' })
  return true
}
