import fp from 'fastify-plugin'

/** Every answer carries its request id; one log line per request (Fastify's own two are off). */
export const requestLog = fp(
  async (app) => {
    app.addHook('onSend', async (request, reply) => {
      reply.header('x-request-id', request.id)
    })
    app.addHook('onResponse', async (request, reply) => {
      request.log.info(
        { method: request.method, url: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
        'request',
      )
    })
  },
  { name: 'request-log' },
)
