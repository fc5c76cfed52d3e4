/** Copies text, falling back to a hidden textarea where the async Clipboard API is missing or refused. */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText && window.isSecureContext !== false) {
    try {
      await navigator.clipboard.writeText(text)
      return
    } catch {
      // Permission denied or not focused: try the legacy path below.
    }
  }
  const textarea = document.createElement('textarea')
  textarea.value = text
  textarea.setAttribute('readonly', '')
  textarea.style.position = 'fixed'
  textarea.style.top = '0'
  textarea.style.left = '0'
  textarea.style.opacity = '0'
  textarea.style.pointerEvents = 'none'
  const active = document.activeElement as HTMLElement | null
  document.body.appendChild(textarea)
  textarea.select()
  let ok: boolean
  try {
    ok = document.execCommand('copy')
  } finally {
    document.body.removeChild(textarea)
    active?.focus?.()
  }
  if (!ok) throw new Error('Copy failed')
}
