const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
]

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })
const absolute = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' })
const dateOnly = new Intl.DateTimeFormat('en', { dateStyle: 'medium' })
const timeOnly = new Intl.DateTimeFormat('en', { timeStyle: 'short' })
const dayAndTime = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' })

export function formatRelativeTime(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000)
  const abs = Math.abs(seconds)
  if (abs < 45) return 'just now'
  for (const [unit, size] of UNITS) {
    if (abs >= size) return relative.format(Math.round(seconds / size), unit)
  }
  return relative.format(Math.round(seconds / 60), 'minute')
}

export function formatDateTime(iso: string): string {
  return absolute.format(new Date(iso))
}

/** A time today as the time alone ("2:05 PM"); this year as day and time ("Dec 2, 6:37 AM"); else in full. */
export function formatTimeOrDateTime(iso: string, now: number = Date.now()): string {
  const date = new Date(iso)
  const today = new Date(now)
  if (date.toDateString() === today.toDateString()) return timeOnly.format(date)
  return date.getFullYear() === today.getFullYear() ? dayAndTime.format(date) : absolute.format(date)
}

export function formatDate(iso: string): string {
  return dateOnly.format(new Date(iso))
}

/** `dfk_2Xq9…3F9a` → `dfk_••••••••3F9a`: the prefix says what it is, the tail tells keys apart. */
export function maskCredential(prefix: string, last4: string): string {
  return `${prefix}••••••••${last4}`
}

/**
 * Server messages are fragments ("must not be blank"); show them as sentences, like the
 * app's own: a capital first, a full stop last (unless it already ends a sentence).
 */
export function sentence(message: string): string {
  const text = message.trim()
  if (text === '') return text
  const capital = text.charAt(0).toUpperCase() + text.slice(1)
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`
}
