import type { FastifyInstance, FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';
import { ApiException, ErrorDetail } from './api-errors';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The only body parser (DRF's JSONParser): JSON in strict UTF-8. An empty body means "no data"
 * (a PATCH with no body changes nothing). `__proto__` and `constructor.prototype` keys are
 * refused outright, so no parsed body can reach an object's prototype. Every other content type
 * falls through to Fastify's 415.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
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
      try {
        done(null, sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
      } catch (error) {
        done(jsonError((error as Error).message));
      }
    },
  );
}

function jsonError(reason: string): ApiException {
  return new ApiException(400, { detail: ErrorDetail.jsonParse(reason) });
}
