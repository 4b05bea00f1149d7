import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ApiException, ErrorDetail } from './api-errors';
import { isDatabaseUnavailable } from './database-errors';

export interface ErrorResponse {
  status: number;
  body: Record<string, unknown>;
  /** Headers the answer needs besides Content-Type (DRF's `Retry-After` on a 429). */
  headers?: Record<string, string>;
}

/** Facts about the request: some error bodies need them, and a 5xx's log line names the request. */
export interface ErrorRequestInfo {
  method: string;
  /** The request's id and path (no query string), as its own log line has them (request-logging.ts). */
  id: string;
  path: string;
  contentType?: string;
  /** Methods the path answers to, when the router did not match this method. */
  allowedMethods?: string[];
}

const logger = new Logger('Errors');

// Fastify's own errors, raised before a handler runs (body parsing, limits, routing).
const FASTIFY_ERRORS: Record<string, (info: ErrorRequestInfo, error: Error) => ErrorResponse> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => ({ status: 413, body: { detail: ErrorDetail.bodyTooLarge } }),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (info) => unsupportedMediaType(info.contentType),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => ({ status: 400, body: { detail: ErrorDetail.jsonParse('invalid content length') } }),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => ({ status: 400, body: { detail: ErrorDetail.jsonParse('empty body') } }),
  FST_ERR_CTP_INVALID_JSON_BODY: (_, e) => ({ status: 400, body: { detail: ErrorDetail.jsonParse(e.message) } }),
  FST_ERR_BAD_URL: () => ({ status: 404, body: { detail: ErrorDetail.notFound } }),
  // A path segment over the router's maxParamLength matches no route: Django's 404.
  FST_ERR_MAX_PARAM_LENGTH: () => ({ status: 404, body: { detail: ErrorDetail.notFound } }),
  FST_ERR_ASYNC_CONSTRAINT: () => ({ status: 404, body: { detail: ErrorDetail.notFound } }),
};

function methodNotAllowed(info: ErrorRequestInfo): ErrorResponse {
  return { status: HttpStatus.METHOD_NOT_ALLOWED, body: { detail: ErrorDetail.methodNotAllowed(info.method) } };
}

function unsupportedMediaType(contentType: string | undefined): ErrorResponse {
  const mediaType = (contentType ?? '').split(';')[0].trim();
  return { status: 415, body: { detail: ErrorDetail.unsupportedMediaType(mediaType) } };
}

/** Default DRF detail for a bare status, used when an exception carries no DRF body. */
function defaultDetail(status: number, info: ErrorRequestInfo): string {
  switch (status) {
    case 401:
      return ErrorDetail.notAuthenticated;
    case 403:
      return ErrorDetail.permissionDenied;
    case 404:
      return ErrorDetail.notFound;
    case 405:
      return ErrorDetail.methodNotAllowed(info.method);
    case 413:
      return ErrorDetail.bodyTooLarge;
    case 503:
      return ErrorDetail.unavailable;
    default:
      return status >= 500 ? ErrorDetail.serverError : 'Bad request.';
  }
}

/**
 * Maps any thrown value to one of the documented status/body pairs. Nothing of the error's own
 * message reaches the client unless the error was made for the client (ApiException).
 */
export function toErrorResponse(error: unknown, info: ErrorRequestInfo): ErrorResponse {
  const response = mapError(error, info);
  // The path does not take this method. DRF checks the method before it parses the body or looks
  // an object up, so a malformed body, a foreign media type or a route with a parameter that took
  // a static route's path (`DELETE users/me/`) all give way to the 405. Authentication does not.
  if (info.allowedMethods?.length && METHOD_CHECKED_FIRST.has(response.status)) return methodNotAllowed(info);
  return response;
}

const METHOD_CHECKED_FIRST = new Set([400, 404, 413, 415]);

function mapError(error: unknown, info: ErrorRequestInfo): ErrorResponse {
  if (error instanceof ApiException) {
    const headers = Object.keys(error.headers).length > 0 ? { headers: error.headers } : {};
    return { status: error.getStatus(), body: error.body, ...headers };
  }

  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && FASTIFY_ERRORS[code]) return FASTIFY_ERRORS[code](info, error as Error);

  if (isStaticPathRefusal(error)) return { status: 404, body: { detail: ErrorDetail.notFound } };

  if (error instanceof HttpException) {
    let status = error.getStatus();
    // authentik never answers 401: authentication failures are 403 with their own detail.
    if (status === HttpStatus.UNAUTHORIZED) status = HttpStatus.FORBIDDEN;
    // Nest's own Fastify error handler wraps Fastify's 415 into a bare HttpException.
    if (status === HttpStatus.UNSUPPORTED_MEDIA_TYPE) return unsupportedMediaType(info.contentType);
    if (status === HttpStatus.TOO_MANY_REQUESTS) {
      return { status, body: { detail: ErrorDetail.tooManyRequests(60) } };
    }
    if (status >= 500) return serverError(error, info);
    return { status, body: { detail: defaultDetail(status, info) } };
  }

  // Fastify-level errors with a 4xx statusCode but no code we know (e.g. a bad header).
  const statusCode = (error as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    if (statusCode === 415) return unsupportedMediaType(info.contentType);
    return { status: statusCode, body: { detail: defaultDetail(statusCode, info) } };
  }
  return serverError(error, info);
}

/**
 * The static file server behind Swagger UI's assets (`/api/v3/*`) refuses a path with `..`
 * segments with a 403, which Nest passes on as a bare `HttpException` (our guards throw
 * `ApiException`s, Nest's own `ForbiddenException`). No URL of the API resolves there: Django's 404.
 */
function isStaticPathRefusal(error: unknown): boolean {
  if (error instanceof HttpException) return error.constructor === HttpException && error.getStatus() === HttpStatus.FORBIDDEN;
  return (error as { code?: unknown })?.code === 'FST_STATIC_FORBIDDEN_PATH';
}

/** The facts every caller has of its request (Fastify's). */
export function requestFacts(request: { method: string; id: string; url: string }): ErrorRequestInfo {
  return { id: request.id, method: request.method, path: request.url.split('?')[0] };
}

function serverError(error: unknown, info: ErrorRequestInfo): ErrorResponse {
  // The same `req` fields as the request's own log line, so the answer's X-Request-Id finds it.
  const req = { req: { id: info.id, method: info.method, path: info.path } };
  if (isDatabaseUnavailable(error)) {
    logger.warn(req, `database unavailable: ${(error as Error)?.message ?? error}`);
    return { status: 503, body: { detail: ErrorDetail.unavailable } };
  }
  logger.error(req, (error as Error)?.stack ?? String(error));
  return { status: 500, body: { detail: ErrorDetail.serverError } };
}
