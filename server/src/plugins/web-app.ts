import { existsSync } from 'node:fs'
import path from 'node:path'
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'
import { sendError } from '../http/error-handler'
import { isDocsPath, isJsonApiPath } from './security-headers'

/**
 * The built web app (`web/dist`), and what answers when no route matches: the app's
 * page for its own client-side routes, 405 with `Allow` for a method a path does not
 * serve, 404 otherwise.
 */
export const webApp = fp<{ webDist: string }>(
  async (app, { webDist }) => {
    const hasWeb = existsSync(path.join(webDist, 'index.html'))
    if (hasWeb) {
      // The built files are registered at start (the image never changes them); after a
      // local rebuild of web/, restart the server, or use the Vite dev server (`pnpm dev`).
      // The build writes `.br` and `.gz` beside each compressible file: a client that accepts
      // one of those encodings gets that file (with Content-Encoding and Vary: accept-encoding),
      // any other client the original. They are not routes of their own.
      await app.register(fastifyStatic, {
        root: webDist,
        wildcard: false,
        index: false,
        preCompressed: true,
        globIgnore: ['**/*.br', '**/*.gz'],
      })
    }
    app.setNotFoundHandler((request, reply) => {
      const isApi = isJsonApiPath(request.url) || isDocsPath(request.url)
      const isFile = /\.[A-Za-z0-9]+$/.test(request.url.split('?')[0]!)
      if (hasWeb && request.method === 'GET' && !isApi && !isFile) {
        // Client-side routes (/login, /store/demo/settings/api, …) all load the SPA.
        return reply.type('text/html').sendFile('index.html', { maxAge: 0 })
      }
      const allowed = app.allowedMethods(request.url)
      if (allowed.length > 0) {
        reply.header('allow', allowed.join(', '))
        return sendError(reply, 'method_not_allowed', `${request.method} is not supported here; use ${allowed.join(', ')}`)
      }
      return sendError(reply, 'not_found', `Route ${request.method} ${request.url.split('?')[0]} not found`)
    })
  },
  { name: 'web-app', dependencies: ['input-and-errors'] },
)
