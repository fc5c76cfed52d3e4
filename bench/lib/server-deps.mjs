// The bench uses the server's own copies of fastify and pg (same versions as the
// product), resolved from server/package.json: nothing extra to install.
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT } from './procs.mjs'

const requireFromServer = createRequire(path.join(ROOT, 'server/package.json'))

export async function importFromServer(name) {
  const mod = await import(pathToFileURL(requireFromServer.resolve(name)).href)
  return mod.default ?? mod
}
