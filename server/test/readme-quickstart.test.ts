import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Order, Product } from '@deskflow/shared'
import { useTestDatabase } from './helpers/db'
import { useServerProcesses } from './helpers/process'
import { serverEnv, signIn } from './helpers/remote'

/**
 * The README's "For integrators" quick start, run line by line with bash against a
 * real server: only the key, the secret, the product id and the port are filled in.
 */
const readme = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md')
const database = useTestDatabase()
const servers = useServerProcesses()
let base = ''

beforeAll(async () => {
  base = (await servers.serve(serverEnv(database.url))).base
}, 60_000)

describe('README quick start for integrators', () => {
  it('works as written', async () => {
    const text = await readFile(readme, 'utf8')
    const block = /<!-- quickstart:start -->\s*```sh\n([\s\S]*?)```/.exec(text)?.[1]
    expect(block).toBeDefined()

    // Step 1 happens in the web app; the admin API does the same here.
    const admin = await signIn(base)
    const key = await admin.createKey({ description: 'Quick start', permissions: ['read_products', 'read_orders', 'write_orders'] })

    const steps = block!.split(/\n(?=# \d\.)/)
    expect(steps).toHaveLength(4)
    const run = async (script: string) =>
      (await promisify(execFile)('bash', ['-ec', `set -o pipefail\n${script.replaceAll('http://127.0.0.1:3000', base)}`])).stdout

    const setup = steps[0]!.replace('dfk_your_key', key.key).replace('dfs_your_secret', key.secret)
    const products = JSON.parse(await run(`${setup}\n${steps[1]}`)) as { data: Product[] }
    expect(products.data).toHaveLength(2)
    const product = products.data[0]!

    const step3 = `${setup}\n${steps[2]!.replace('prod_from_step_2', product.id)}`
    const order = JSON.parse(await run(step3)) as Order
    expect(order.id).toMatch(/^ord_/)
    expect(order.total).toBe(product.price * 2)
    // Run twice, as the step says: the same order, not a second one.
    expect(JSON.parse(await run(step3))).toEqual(order)

    const feed = JSON.parse(await run(`${setup}\n${steps[3]}`)) as { data: { type: string; data: Order }[]; nextCursor: string | null }
    expect(feed.data.map((e) => [e.type, e.data.id])).toEqual([['order.created', order.id]])
    expect(feed.data[0]!.data).toEqual(order)
  })
})
