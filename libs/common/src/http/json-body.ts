import type { FastifyInstance, FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';
import { ApiException, ErrorDetail } from './api-errors';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const LARGE_BODY_BYTES = 64 * 1024;

/**
 * How deeply the JSON text nests objects and arrays, counted on the raw text (brackets outside
 * string literals) so that a hostile body is refused before any recursive code sees it.
 */
export function jsonTextDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return deepest;
}

/**
 * Fastify route config flag: the route takes many items at once (bulk ingest). It gets its own
 * body limit (configureFastify's `bulkBodyLimit`), NDJSON, and one more level of nesting for a
 * JSON array, so that each item may nest exactly as deep as a single body may.
 */
export const BULK_BODY = 'bulkBody';

export const NDJSON_TYPE = 'application/x-ndjson';

function isBulkRoute(request: FastifyRequest): boolean {
  return (request.routeOptions.config as { [BULK_BODY]?: boolean } | undefined)?.[BULK_BODY] === true;
}

/**
 * The only body parsers: DRF's JSONParser (JSON in strict UTF-8) and, for bulk routes only,
 * NDJSON. An empty body means "no data" (a PATCH with no body changes nothing). `__proto__` and
 * `constructor.prototype` keys are refused outright, so no parsed body can reach an object's
 * prototype; so is nesting deeper than `maxDepth` (the body object itself is level 1). Every
 * other content type falls through to Fastify's 415.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, bodyLimit: number, maxDepth: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit },
    (request: FastifyRequest, raw: Buffer, done: (err: Error | null, body?: unknown) => void) => {
      if (raw.length === 0) return done(null, undefined);
      const text = decodeUtf8(raw);
      if (text === undefined) return done(jsonError("'utf-8' codec can't decode the request body"));
      if (text.trim() === '') return done(null, undefined);
      const parsed = parseJson(text, isBulkRoute(request) ? maxDepth + 1 : maxDepth);
      if (parsed instanceof ApiException) return done(parsed);
      finish(raw, parsed, done);
    },
  );
  // One JSON value per line (blank lines skipped), each checked as a single JSON body: an array of them.
  fastify.addContentTypeParser(
    NDJSON_TYPE,
    { parseAs: 'buffer', bodyLimit },
    (request: FastifyRequest, raw: Buffer, done: (err: Error | null, body?: unknown) => void) => {
      if (!isBulkRoute(request)) {
        const error = Object.assign(new Error('unsupported media type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 });
        return done(error);
      }
      const text = decodeUtf8(raw);
      if (text === undefined) return done(jsonError("'utf-8' codec can't decode the request body"));
      const items: unknown[] = [];
      const lines = text.split('\n');
      for (let line = 0; line < lines.length; line++) {
        if (lines[line].trim() === '') continue;
        const parsed = parseJson(lines[line], maxDepth);
        if (parsed instanceof ApiException)
          return done(jsonError(`line ${line + 1}: ${String(parsed.body.detail).replace(/^JSON parse error - /, '')}`));
        items.push(parsed);
      }
      finish(raw, items, done);
    },
  );
}

function decodeUtf8(raw: Buffer): string | undefined {
  try {
    return utf8.decode(raw);
  } catch {
    return undefined;
  }
}

function parseJson(text: string, maxDepth: number): unknown {
  if (jsonTextDepth(text) > maxDepth) return jsonError(`nesting deeper than ${maxDepth} levels is not allowed`);
  try {
    return sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    return jsonError((error as Error).message);
  }
}

/**
 * A large body's parsing and its handling take two turns of the event loop, so that other
 * requests (a health check) are answered in between.
 */
function finish(raw: Buffer, body: unknown, done: (err: Error | null, body?: unknown) => void): void {
  if (raw.length > LARGE_BODY_BYTES) setImmediate(done, null, body);
  else done(null, body);
}

function jsonError(reason: string): ApiException {
  return new ApiException(400, { detail: ErrorDetail.jsonParse(reason) });
}
