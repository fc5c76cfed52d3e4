import { useRef } from 'react'

/**
 * Where focus goes when what opened a dialog is gone (the deleted row, the empty state's button):
 * the page's main action, else its heading, never <body>.
 */
export function pageFocusFallback(): HTMLElement | null {
  const action = document.querySelector<HTMLElement>('[data-page-action]:not(:disabled)')
  if (action) return action
  const heading = document.querySelector<HTMLElement>('main h1, h1')
  if (heading && !heading.hasAttribute('tabindex')) heading.tabIndex = -1
  return heading
}

/** The first text control of a dialog's body, so a form opens ready to type rather than on its × button. */
function firstField(container: HTMLElement): HTMLElement | null {
  return container.querySelector<HTMLElement>(
    '.modal-body :is(input:not([type="hidden"]):not([type="radio"]):not([type="checkbox"]):not([readonly]), select, textarea:not([readonly])):not(:disabled)',
  )
}

/**
 * Our dialogs are opened by state, not by a Radix Trigger, so Radix has nothing to
 * return focus to on close. Spread these props on the dialog content: it remembers
 * what had focus when it opened and goes back to it; when that element is gone,
 * `fallback` (e.g. the button that replaced it) or the page's main action takes focus.
 */
export function useReturnFocus(fallback?: () => HTMLElement | null | undefined) {
  const opener = useRef<HTMLElement | null>(null)
  return {
    onOpenAutoFocus: (event: Event) => {
      const active = document.activeElement
      opener.current = active instanceof HTMLElement && active !== document.body ? active : null
      const content = event.currentTarget instanceof HTMLElement ? event.currentTarget : null
      const field = content && !content.contains(document.activeElement) ? firstField(content) : null
      if (field) {
        event.preventDefault()
        field.focus()
      }
    },
    onCloseAutoFocus: (event: Event) => {
      const target = opener.current?.isConnected ? opener.current : (fallback?.() ?? pageFocusFallback())
      if (target) {
        event.preventDefault()
        target.focus()
      }
    },
  }
}
