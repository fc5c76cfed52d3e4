import fp from 'fastify-plugin'
import { registerErrorHandler } from '../http/error-handler'
import { registerJsonBodyParser } from '../http/json-body'
import { trackAllowedMethods } from '../http/method-not-allowed'
import { declareFrameworkErrors } from '../http/responses'
import { createValidatorCompiler, nulError } from '../http/validation'

declare module 'fastify' {
  interface FastifyInstance {
    /** The methods the app's routes serve at a URL (for 405 answers). */
    allowedMethods(url: string): string[]
  }
}

/**
 * What every request goes through before a handler, and what every error becomes:
 * JSON bodies only, strict validation naming the field, no NUL character in what a
 * route reads, one error shape; and the document declares the framework's answers.
 */
export const inputAndErrors = fp(
  async (app) => {
    app.setValidatorCompiler(createValidatorCompiler())
    app.decorate('allowedMethods', trackAllowedMethods(app))
    // JSON only: a cross-site HTML form (text/plain, urlencoded) cannot reach a handler.
    app.removeContentTypeParser('text/plain')
    registerJsonBodyParser(app)
    // After validation (and the permission check), before any handler: text with a NUL
    // character is valid JSON but cannot be stored. Only what the route reads is looked
    // at: a query parameter or body it does not declare is ignored, NUL or not. A route
    // that checks its API key in its own statement looks after checking it (see
    // integrator/auth.ts), so that refused credentials are answered first there too.
    app.addHook('preHandler', (request, _reply, done) => {
      const error = request.routeOptions.config.checksKey ? null : nulError(request)
      done(error ?? undefined)
    })
    registerErrorHandler(app)
    declareFrameworkErrors(app)
  },
  { name: 'input-and-errors' },
)
