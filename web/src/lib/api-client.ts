import { CSRF_HEADER, type ErrorCode, type ErrorDetail, type ErrorResponse } from '@deskflow/shared'
import { CHOOSE_PASSWORD_PATH, choosePasswordPath } from './safe-redirect'

export type ApiErrorCode = ErrorCode | 'network_error' | 'unknown'

const UNREACHABLE = "Can't reach the server. Check your connection and try again."

/** Every failed request becomes one of these, whatever went wrong. */
export class ApiError extends Error {
  readonly status: number
  readonly code: ApiErrorCode
  readonly requestId: string | undefined
  readonly details: ErrorDetail[]
  readonly retryAfter: number | undefined

  constructor(init: {
    status: number
    code: ApiErrorCode
    message: string
    requestId?: string | undefined
    details?: ErrorDetail[] | undefined
    retryAfter?: number | undefined
  }) {
    super(init.message)
    this.name = 'ApiError'
    this.status = init.status
    this.code = init.code
    this.requestId = init.requestId
    this.details = init.details ?? []
    this.retryAfter = init.retryAfter
  }

  get isNetworkError(): boolean {
    return this.code === 'network_error'
  }

  /** The first message the server gave for `field` (a dotted path such as `description`). */
  fieldError(field: string): string | undefined {
    return this.details.find((d) => d.field === field || d.field.startsWith(`${field}.`))?.message
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError
}

type UnauthorizedHandler = () => void

function defaultUnauthorizedHandler() {
  const here = window.location.pathname + window.location.search
  if (window.location.pathname === '/login') return
  window.location.assign(`/login?from=${encodeURIComponent(here)}`)
}

let unauthorizedHandler: UnauthorizedHandler = defaultUnauthorizedHandler

/** The router installs a handler that navigates without a page load; returns the uninstaller. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): () => void {
  unauthorizedHandler = handler
  return () => {
    if (unauthorizedHandler === handler) unauthorizedHandler = defaultUnauthorizedHandler
  }
}

function defaultPasswordChangeHandler() {
  if (window.location.pathname === CHOOSE_PASSWORD_PATH) return
  window.location.assign(choosePasswordPath(window.location.pathname + window.location.search))
}

let passwordChangeHandler: () => void = defaultPasswordChangeHandler

/**
 * Every admin route but a few answers 403 `password_change_required` to an admin signed in with a
 * one-time password: the router installs a handler that takes them to choose their own. Returns the uninstaller.
 */
export function setPasswordChangeHandler(handler: () => void): () => void {
  passwordChangeHandler = handler
  return () => {
    if (passwordChangeHandler === handler) passwordChangeHandler = defaultPasswordChangeHandler
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  body?: unknown
  signal?: AbortSignal | undefined
  /** Login answers 401 for a wrong password: that is a form error, not a lost session. */
  redirectOnUnauthorized?: boolean
}

function isErrorResponse(value: unknown): value is ErrorResponse {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const error = (value as { error: unknown }).error
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text()
  if (!text) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, signal, redirectOnUnauthorized = true } = options
  // The header proves to the server that this is the app's own script: a page of another
  // origin cannot send it with the session cookie (browsers without Sec-Fetch-Site need it).
  const headers: Record<string, string> = { Accept: 'application/json', [CSRF_HEADER]: '1' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'

  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      credentials: 'same-origin',
      signal: signal ?? null,
    })
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    throw new ApiError({ status: 0, code: 'network_error', message: UNREACHABLE })
  }

  if (response.status === 204) return undefined as T
  const payload = await readJson(response)

  if (response.ok) return payload as T

  const retryAfterHeader = Number(response.headers.get('Retry-After'))
  const retryAfter = Number.isFinite(retryAfterHeader) && retryAfterHeader > 0 ? retryAfterHeader : undefined

  const error = isErrorResponse(payload)
    ? new ApiError({
        status: response.status,
        code: payload.error.code,
        message: payload.error.message,
        requestId: payload.error.requestId,
        details: payload.error.details,
        retryAfter,
      })
    : // No error body: a proxy or gateway answered because the service itself is down.
      new ApiError({
        status: response.status,
        code: response.status >= 502 ? 'network_error' : 'unknown',
        message: response.status >= 502 ? UNREACHABLE : `The server answered ${response.status}. Try again.`,
        retryAfter,
      })

  if (error.status === 401 && redirectOnUnauthorized) unauthorizedHandler()
  if (error.code === 'password_change_required') passwordChangeHandler()
  throw error
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) => request<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'POST', body }),
  patch: <T>(path: string, body: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'PATCH', body }),
  delete: <T = void>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) => request<T>(path, { ...options, method: 'DELETE' }),
}

/** Builds a path from literal segments and encoded parameters. */
export function path(strings: TemplateStringsArray, ...params: string[]): string {
  return strings.reduce((out, part, i) => out + part + (i < params.length ? encodeURIComponent(params[i] ?? '') : ''), '')
}
