import '@testing-library/jest-dom/vitest'
import { cleanup, configure } from '@testing-library/react'
import { afterEach } from 'vitest'

// The first render of a file loads its routes' modules (transformed on demand): on a busy
// two-core machine that has taken over a second, Testing Library's default wait for
// `findBy…`/`waitFor`. What never appears still fails, after five seconds.
configure({ asyncUtilTimeout: 5000 })

afterEach(() => {
  cleanup()
})
