import { useRef } from 'react'

/**
 * Our dialogs are opened by state, not by a Radix Trigger, so Radix has nothing to
 * return focus to on close. Spread these props on the dialog content: it remembers
 * what had focus when it opened and goes back to it.
 */
export function useReturnFocus() {
  const opener = useRef<HTMLElement | null>(null)
  return {
    onOpenAutoFocus: () => {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null
    },
    onCloseAutoFocus: (event: Event) => {
      const target = opener.current
      if (target?.isConnected) {
        event.preventDefault()
        target.focus()
      }
    },
  }
}
