import fp from 'fastify-plugin'

/** Every answer carries its request id; one log line per request (Fastify's own two are off). */
export const requestLog = fp(
  async (app) => {
    // The request line holds no secret (method, path without its query, status, time), so
    // it skips the redaction every other line goes through (docs/performance.md, "Request logging").
    const lines = app.log.child({}, { redact: [] })
    // Callback hooks: neither waits for anything, and an async hook costs every request a
    // promise and a microtask (docs/performance.md, "Rows made in one shape").
    app.addHook('onSend', (request, reply, payload, done) => {
      reply.header('x-request-id', request.id)
      done(null, payload)
    })
    app.addHook('onResponse', (request, reply, done) => {
      const url = request.url.split('?')[0]
      lines.info({ reqId: request.id, method: request.method, url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request')
      done()
    })
  },
  { name: 'request-log' },
)
