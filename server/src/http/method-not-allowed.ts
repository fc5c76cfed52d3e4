import type { FastifyInstance } from 'fastify'
import FindMyWay, { type HTTPMethod } from 'find-my-way'

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

/**
 * Which methods the app's routes serve at a URL, for 405 answers with `Allow`: a
 * second router, fed the same routes as Fastify's, asked only when nothing matched.
 */
export function trackAllowedMethods(app: FastifyInstance) {
  const router = FindMyWay({ ignoreTrailingSlash: false })
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]) as string[]
    for (const method of methods as HTTPMethod[]) {
      if ((METHODS as readonly string[]).includes(method) && !router.hasRoute(method, route.url)) router.on(method, route.url, () => {})
    }
  })
  return function allowedMethods(url: string): string[] {
    const path = url.split('?')[0]!
    return METHODS.filter((method) => router.find(method, path) !== null)
  }
}
