import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { LevelWithSilent } from 'pino';
import { HttpLogger, Options, pinoHttp } from 'pino-http';
import { requestFacts } from '@app/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.token';
import { prettyLogStream, requestSummary } from './pretty-logs';

/** The process's pino-http logger: its `.logger` is the pino logger every line goes through. */
export const REQUEST_LOGGER = Symbol('REQUEST_LOGGER');

/** Load balancers and orchestrators ask these every few seconds; their answers are not news. */
const HEALTH_PATH = '/-/health/';

/** Structured JSON lines, or pretty ones for a person (LOG_FORMAT, see pretty-logs.ts); credentials and query strings never logged. */
export function createRequestLogger(config: AppConfig): HttpLogger {
  const options: Options = {
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '********************' },
    serializers: {
      // id, method and path: the query string may carry secrets (`?token=…`). A 5xx's own log line
      // names its request with the same facts (error-response.ts).
      req: (req: { id: string; method: string; url: string }) => requestFacts(req),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (req: IncomingMessage, res: ServerResponse, error?: Error): LevelWithSilent => {
      if (error || res.statusCode >= 500) return 'error';
      return req.url?.startsWith(HEALTH_PATH) ? 'debug' : 'info';
    },
    ...(config.logFormat === 'pretty' ? { customSuccessMessage: requestSummary } : {}),
  };
  return config.logFormat === 'pretty' ? pinoHttp(options, prettyLogStream()) : pinoHttp(options);
}

/**
 * One log line per request (pino-http), from a Fastify hook that runs first, so even a request
 * refused by a later hook is logged. nestjs-pino would mount pino-http as a Nest middleware and
 * bind each request's logger in an AsyncLocalStorage; on Node 20 an active AsyncLocalStorage makes
 * every promise the process creates pay for async hooks (about 100 ns an await), which measured
 * 50 to 200 µs of CPU per request in the benchmark. Without it, lines logged while a request is
 * served carry its id where the code passes it (every 500 and 503 answer does, error-response.ts).
 */
export function logRequests(fastify: FastifyInstance, logger: HttpLogger): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    // Where pino-http and the event recorder (http-request-context.ts) read the request's id.
    (request.raw as { id?: string }).id = request.id;
    logger(request.raw, reply.raw);
    done();
  });
}

@Module({
  providers: [{ provide: REQUEST_LOGGER, inject: [APP_CONFIG], useFactory: createRequestLogger }],
  exports: [REQUEST_LOGGER],
})
export class RequestLoggerModule {}
