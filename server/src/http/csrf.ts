import type { FastifyRequest } from 'fastify'
import { CSRF_HEADER } from '@deskflow/shared'
import { AppError } from '../lib/errors'
import { SESSION_COOKIE } from './auth'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
/** `none`: the user started the request (address bar, bookmark), not a page. */
const OWN_SITE = new Set(['same-origin', 'none'])
const csrfHeader = CSRF_HEADER.toLowerCase()
/** As @fastify/jwt reads it: with this, the token comes from the header, never the cookie. */
const BEARER = /^Bearer\s/i

/**
 * onRequest hook for the admin and session routes: a state-changing request that a page
 * of another origin could have made the browser send, with the browser's session cookie,
 * is refused with 403 before it is parsed or authenticated. (Another port of the same host
 * is another origin but the same site, so SameSite=Lax alone does not keep the cookie back.)
 *
 * - A request with a Bearer token is authenticated by the token, not the cookie, and no
 *   page on another site can add that header without a CORS preflight. Only Bearer: a
 *   browser attaches Basic credentials it remembers (a proxy's login, say) by itself, like
 *   a cookie, and the session is then still read from the cookie.
 * - `Sec-Fetch-Site`, set by the browser and unforgeable by pages, decides when present:
 *   only `same-origin` and `none` pass. It holds behind a reverse proxy too, since the
 *   browser compares the page's origin with the request's, not with the server's Host.
 * - Otherwise (an older browser, plain http to a name that is not localhost, a script) a
 *   request carrying the session cookie must send the `Deskflow-CSRF` header, which no
 *   form and no no-cors fetch can send. `Origin` is not compared with `Host`: behind a
 *   proxy they differ, and the header makes the comparison unnecessary.
 */
export async function refuseCrossSite(request: FastifyRequest): Promise<void> {
  if (SAFE_METHODS.has(request.method)) return
  if (BEARER.test(request.headers.authorization ?? '')) return
  const site = request.headers['sec-fetch-site']
  if (site !== undefined) {
    if (OWN_SITE.has(site)) return
    throw new AppError(
      'forbidden',
      `Refused: the browser sent this request from a page of another origin (Sec-Fetch-Site: ${site}); use the web app, or Authorization: Bearer`,
    )
  }
  if (request.cookies[SESSION_COOKIE] === undefined) return
  if (request.headers[csrfHeader] !== undefined) return
  throw new AppError(
    'forbidden',
    `A request signed in with the session cookie that changes something must send the header "${CSRF_HEADER}: 1" (or use Authorization: Bearer)`,
  )
}
