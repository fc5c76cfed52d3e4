import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import zlib from 'node:zlib'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

/** A body sent compressed as the client accepts it (brotli, then gzip), each encoding made once. */
function compressedOnce(body: () => Buffer) {
  let raw: Buffer | undefined
  const made = new Map<string, Buffer>()
  return (request: FastifyRequest, reply: FastifyReply): Buffer => {
    raw ??= body()
    reply.header('vary', 'accept-encoding')
    const accepts = String(request.headers['accept-encoding'] ?? '')
    const encoding = /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : null
    if (!encoding) return raw
    let out = made.get(encoding)
    if (!out) {
      // Brotli at quality 9: 0.1 s for Redoc's 1.1 MB on the first request that asks (quality
      // 11 saves 9 % more and takes 1.8 s, which the first visitor would wait for).
      out =
        encoding === 'br'
          ? zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9 } })
          : zlib.gzipSync(raw, { level: 9 })
      made.set(encoding, out)
    }
    reply.header('content-encoding', encoding)
    return out
  }
}

const page = (script: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Deskflow API reference</title>
<link rel="icon" href="data:,">
<style>
  body { margin: 0; font-family: system-ui, sans-serif; }
  .bar { display: flex; gap: 1.5rem; align-items: center; padding: 0.6rem 1.25rem; background: #111827; color: #f9fafb; font-size: 0.9rem; }
  .bar strong { font-size: 1rem; margin-right: auto; }
  .bar a { color: #c7d2fe; }
</style>
</head>
<body>
<nav class="bar" aria-label="Deskflow">
  <strong>Deskflow API reference</strong>
  <a href="/">Back to the admin</a>
  <a href="/openapi.json">OpenAPI 3.1 document</a>
</nav>
<redoc spec-url="/openapi.json" path-in-middle-panel="true" required-props-first="true" sort-props-alphabetically="false" expand-responses="200,201" hide-hostname="true"></redoc>
<script src="${script}"></script>
</body>
</html>
`

/**
 * `/docs`: the API reference, rendered in the browser by Redoc (a well-kept renderer of
 * OpenAPI 3.1, webhooks included) from `/openapi.json`. Its script is served from this
 * server under a name that changes with its content, compressed and cached for a year;
 * the page itself and the document are revalidated, and sent compressed too.
 */
export const apiReference = fp(
  async (app) => {
    const file = createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js')
    const script = readFileSync(file)
    const scriptPath = `/docs/assets/redoc-${createHash('sha256').update(script).digest('hex').slice(0, 16)}.js`
    const sendScript = compressedOnce(() => script)
    const sendPage = compressedOnce(() => Buffer.from(page(scriptPath)))
    const sendDocument = compressedOnce(() => Buffer.from(JSON.stringify(app.swagger())))

    app.get('/docs', { schema: { hide: true } }, async (request, reply) =>
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(sendPage(request, reply)),
    )
    app.get('/docs/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/docs', 301))
    app.get(scriptPath, { schema: { hide: true } }, async (request, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(sendScript(request, reply)),
    )
    app.get('/openapi.json', { schema: { hide: true } }, async (request, reply) =>
      reply.type('application/json; charset=utf-8').header('cache-control', 'no-cache').send(sendDocument(request, reply)),
    )
  },
  { name: 'api-reference' },
)
