import type { FastifyInstance } from 'fastify'
import sjson from 'secure-json-parse'
import { AppError } from '../lib/errors'

/**
 * The JSON body parser, replacing Fastify's, which answers every refusal (broken JSON,
 * a `__proto__` key in valid JSON) with one message. An empty body is no body: a route
 * that needs one says so naming it, and a bodiless action sent with the JSON content
 * type still works.
 */
export function registerJsonBodyParser(app: FastifyInstance) {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) => {
    const body = String(text)
    if (body.trim() === '') return done(null, undefined)
    let value: unknown
    try {
      value = JSON.parse(body)
    } catch {
      return done(new AppError('bad_request', 'The body is not valid JSON'), undefined)
    }
    try {
      if (value !== null && typeof value === 'object') sjson.scan(value, { protoAction: 'error', constructorAction: 'error' })
    } catch {
      return done(new AppError('bad_request', 'The body may not contain "__proto__" or "constructor.prototype" keys'), undefined)
    }
    done(null, value)
  })
}
