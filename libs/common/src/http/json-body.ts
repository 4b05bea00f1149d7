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
 * The only body parser (DRF's JSONParser): JSON in strict UTF-8. An empty body means "no data"
 * (a PATCH with no body changes nothing). `__proto__` and `constructor.prototype` keys are
 * refused outright, so no parsed body can reach an object's prototype; so is nesting deeper
 * than `maxDepth` (the body object itself is level 1). Every other content type falls through
 * to Fastify's 415.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, bodyLimit: number, maxDepth: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit },
    (_request: FastifyRequest, raw: Buffer, done: (err: Error | null, body?: unknown) => void) => {
      if (raw.length === 0) return done(null, undefined);
      let text: string;
      try {
        text = utf8.decode(raw);
      } catch {
        return done(jsonError("'utf-8' codec can't decode the request body"));
      }
      if (text.trim() === '') return done(null, undefined);
      if (jsonTextDepth(text) > maxDepth) {
        return done(jsonError(`nesting deeper than ${maxDepth} levels is not allowed`));
      }
      let body: unknown;
      try {
        body = sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
      } catch (error) {
        return done(jsonError((error as Error).message));
      }
      // A large body's parsing and its handling take two turns of the event loop, so that other
      // requests (a health check) are answered in between.
      if (raw.length > LARGE_BODY_BYTES) setImmediate(done, null, body);
      else done(null, body);
    },
  );
}

function jsonError(reason: string): ApiException {
  return new ApiException(400, { detail: ErrorDetail.jsonParse(reason) });
}
