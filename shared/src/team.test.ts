import { describe, expect, it } from 'vitest'
import { STORE_ROLES, roleAtLeast } from './team'

describe('roleAtLeast', () => {
  it('ranks owner over developer over viewer', () => {
    const table = STORE_ROLES.map((role) => STORE_ROLES.map((least) => roleAtLeast(role, least)))
    // Rows: owner, developer, viewer; columns: at least owner, developer, viewer.
    expect(table).toEqual([
      [true, true, true],
      [false, true, true],
      [false, false, true],
    ])
  })

  it('grants nothing to a role it does not know', () => {
    for (const least of STORE_ROLES) expect(roleAtLeast('admin', least)).toBe(false)
  })
})
