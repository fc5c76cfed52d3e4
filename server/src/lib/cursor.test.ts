import { describe, expect, it } from 'vitest'
import { createCursors } from './cursor'
import { createSecretBox } from './secret-box'

const cursors = createCursors(createSecretBox('a'.repeat(48)).cursorKeys)
const id = 'prod_0mx3jsyh6dt7gdy5bq6e7'

describe('list cursors', () => {
  it('round-trip an id on the list that issued them, short and URL-safe', () => {
    const cursor = cursors.encode('prod:sto_1', id)
    expect(cursor).toMatch(/^[A-Za-z0-9_-]{1,80}$/)
    expect(cursors.decode('prod:sto_1', cursor)).toBe(id)
  })

  it('are refused on another list, under another key, or with any character changed', () => {
    const cursor = cursors.encode('prod:sto_1', id)
    expect(() => cursors.decode('prod:sto_2', cursor)).toThrow(/cursor/)
    expect(() => cursors.decode('ord:sto_1', cursor)).toThrow(/cursor/)
    expect(() => createCursors(createSecretBox('b'.repeat(48)).cursorKeys).decode('prod:sto_1', cursor)).toThrow(/cursor/)
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    for (let i = 0; i < cursor.length; i++) {
      for (const c of alphabet) {
        if (c === cursor[i]) continue
        const changed = `${cursor.slice(0, i)}${c}${cursor.slice(i + 1)}`
        expect(() => cursors.decode('prod:sto_1', changed), changed).toThrow(/cursor/)
      }
    }
  })

  it('name the parameter they came in', () => {
    expect(() => cursors.decode('aud:sto_1', 'x', 'before')).toThrow(/^before: /)
  })

  it('made under a previous secret key still page on while that key is in the ring', () => {
    const previous = createCursors(createSecretBox('p'.repeat(48)).cursorKeys)
    const ring = createCursors(createSecretBox('n'.repeat(48), ['p'.repeat(48)]).cursorKeys)
    const old = previous.encode('prod:sto_1', 'prod_abc')
    expect(ring.decode('prod:sto_1', old)).toBe('prod_abc')
    expect(() => ring.decode('prod:sto_2', old)).toThrow(/cursor/)
    // New cursors are made under the current key: the previous key alone refuses them.
    expect(() => previous.decode('prod:sto_1', ring.encode('prod:sto_1', 'prod_abc'))).toThrow(/cursor/)
    expect(() => createCursors(createSecretBox('n'.repeat(48)).cursorKeys).decode('prod:sto_1', old)).toThrow(/cursor/)
  })
})
