import { JsonValue, maskQueryArgs, sanitizeForJson } from '@app/common';

/** `context.http_request` of an event recorded for a request (docs/api-contract.md §6, authentik's `Event.from_http`). */
export interface HttpRequestContext {
  path: string;
  method: string;
  /** Query-string arguments, secrets masked; a repeated key keeps its last value. */
  args: { [key: string]: JsonValue };
  user_agent: string;
  /** The id on the request's log lines (see `requestIdOf`). */
  request_id?: string;
}

/** The parts of a request this needs; a FastifyRequest fits as it is. */
export interface HttpRequestLike {
  /** Path and query string as received, e.g. `/api/v3/events/events/?token=x`. */
  url: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
  /** The Node request underneath, which carries the request id as `id`. */
  raw: object;
}

/**
 * Builds `context.http_request`. The path is percent-decoded as Django's `request.path` is; the
 * query string is masked like any context (`?token=abc` → `{"token": "********************"}`);
 * NUL characters are removed everywhere. `request_id` is left out when the request has none
 * (authentik does the same).
 */
export function httpRequestContext(request: HttpRequestLike): HttpRequestContext {
  const queryStart = request.url.indexOf('?');
  const path = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  const userAgent = request.headers['user-agent'];
  const context: HttpRequestContext = {
    path: decodedPath(path),
    method: request.method,
    args: maskQueryArgs(queryStart === -1 ? '' : request.url.slice(queryStart + 1)),
    user_agent: typeof userAgent === 'string' ? userAgent : '',
  };
  const requestId = requestIdOf(request.raw);
  if (requestId !== undefined) context.request_id = requestId;
  return sanitizeForJson(context) as unknown as HttpRequestContext;
}

/**
 * The request id is the one on the request's log lines: `id` on the raw Node request. Fastify's
 * middleware layer (@fastify/middie) copies Fastify's `request.id` there before any middleware
 * runs, and pino-http (LoggingModule) keeps an id that is already present, so this is the same
 * value whether Fastify or LoggingModule's `genReqId` generated it.
 */
function requestIdOf(raw: object): string | undefined {
  const id: unknown = (raw as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path; // a malformed escape (`%zz`) stays as sent
  }
}
