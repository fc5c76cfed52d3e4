import { describe, expect, it } from 'vitest'
import { isChunkLoadError, lazyPage } from './lazy-page'

describe('lazyPage', () => {
  it('hands the page over when its code loads', async () => {
    const Page = () => null
    expect((await lazyPage(async () => Page)()).Component).toBe(Page)
  })

  it('stands in for a page whose code could not be downloaded', async () => {
    const failed = lazyPage(async () => {
      throw new TypeError('Failed to fetch dynamically imported module: http://x/assets/page.js')
    })
    const { Component } = await failed()
    expect(Component.name).toBe('PageCodeRetry')
  })

  it('lets any other failure reach the route error page', async () => {
    const broken = lazyPage(async () => {
      throw new Error('the module threw while loading')
    })
    await expect(broken()).rejects.toThrow('the module threw while loading')
  })

  it('tells download failures, in each browser’s words, from other errors', () => {
    expect(isChunkLoadError(new TypeError('Failed to fetch dynamically imported module: /a.js'))).toBe(true)
    expect(isChunkLoadError(new TypeError('Importing a module script failed.'))).toBe(true)
    expect(isChunkLoadError(new TypeError('error loading dynamically imported module: /a.js'))).toBe(true)
    expect(isChunkLoadError(new TypeError('x is not a function'))).toBe(false)
    expect(isChunkLoadError(new Error('Failed to fetch dynamically imported module'))).toBe(false)
  })
})
