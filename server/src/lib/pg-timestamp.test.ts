import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import pg from 'pg'
import { isoFromPg } from './pg-timestamp'

/** What PostgreSQL sends for a timestamptz in a UTC session: trailing zeros of the fraction dropped. */
function pgText(d: Date, micros: number): string {
  const iso = d.toISOString()
  const fraction = `${String(d.getUTCMilliseconds()).padStart(3, '0')}${String(micros).padStart(3, '0')}`.replace(/0+$/, '')
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''}+00`
}

describe('isoFromPg', () => {
  it('gives what Date gives, for every instant of years 1000–9999 and any microseconds', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        (d, micros) => {
          const text = pgText(d, micros)
          expect(isoFromPg(text), text).toBe(new Date(text).toISOString())
        },
      ),
      { numRuns: 5000 },
    )
  })

  it.each([
    ['2026-11-30 21:33:52+00', '2026-11-30T21:33:52.000Z'],
    ['2026-11-30 21:33:52.5+00', '2026-11-30T21:33:52.500Z'],
    ['2026-11-30 21:33:52.123456+00', '2026-11-30T21:33:52.123Z'],
    ['2026-11-30 21:33:52.123456-08', '2026-12-01T05:33:52.123Z'],
    ['2026-11-30 21:33:52.1+05:30', '2026-11-30T16:03:52.100Z'],
  ])('%s → %s', (text, iso) => {
    expect(isoFromPg(text)).toBe(iso)
  })

  it('reads what a real PostgreSQL session sends, in UTC and in another zone', async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' })
    client.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (text: string) => text)
    await client.connect()
    try {
      for (const zone of ['UTC', 'Asia/Kolkata', 'America/Los_Angeles']) {
        await client.query(`set time zone '${zone}'`)
        const { rows } = await client.query<{ t: string; iso: string }>(
          `select t, to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as iso
             from (values (timestamptz '2026-11-30 21:33:52.123456+00'), (now()), (timestamptz '2001-02-03 04:05:06+00')) as v(t)`,
        )
        for (const { t, iso } of rows) expect(isoFromPg(t), `${zone}: ${t}`).toBe(iso)
      }
    } finally {
      await client.end()
    }
  })
})
