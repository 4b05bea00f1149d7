import type { ServerResponse } from 'node:http';
import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.token';
import { prettyLogStream, requestSummary } from './pretty-logs';

/** Load balancers and orchestrators ask these every few seconds; their answers are not news. */
const HEALTH_PATH = '/-/health/';

/**
 * Structured JSON logs (pino), or pretty ones for a person (LOG_FORMAT, see pretty-logs.ts). Every
 * line of a request carries its id (`req.id`, assigned by Fastify, see request-id.ts). Credentials
 * and query strings never reach the log.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const options = {
          level: config.logLevel,
          redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '********************' },
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              // The query string may carry secrets (`?token=…`); only the path is logged.
              path: req.url?.split('?')[0],
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          customLogLevel: (req: { url?: string }, res: ServerResponse, error?: Error) => {
            if (error || res.statusCode >= 500) return 'error';
            return req.url?.startsWith(HEALTH_PATH) ? 'debug' : 'info';
          },
          ...(config.logFormat === 'pretty' ? { customSuccessMessage: requestSummary } : {}),
        } satisfies Options;
        return {
          pinoHttp: config.logFormat === 'pretty' ? [options, prettyLogStream()] : options,
          // nestjs-pino's default '*' is the old route syntax: Nest converts it to this, warning twice at every start.
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        };
      },
    }),
  ],
})
export class LoggingModule {}
