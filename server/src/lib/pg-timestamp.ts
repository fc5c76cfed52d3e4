/**
 * A `timestamptz` as PostgreSQL writes it (`2026-11-30 21:33:52.123456+00`) in the ISO 8601
 * form the API sends (`2026-11-30T21:33:52.123Z`), by moving characters: no Date parsed
 * and formatted again for each of a page's timestamps. Milliseconds are truncated, as
 * `Date` does. A session in another time zone than UTC (`+05:30`) takes the slow path.
 */
export function isoFromPg(text: string): string {
  const zone = text.length - 3
  if (text.length < 22 || text.charCodeAt(10) !== 32 || text.slice(zone) !== '+00') return new Date(text).toISOString()
  const fraction = text.length > 22 ? `${text.slice(20, zone)}00`.slice(0, 3) : '000'
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction}Z`
}
