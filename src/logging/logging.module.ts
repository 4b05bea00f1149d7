import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { HttpLogger } from 'pino-http';
import { REQUEST_LOGGER, RequestLoggerModule } from './request-logging';

/**
 * Structured JSON logs (pino), or pretty ones for a person (LOG_FORMAT, see pretty-logs.ts):
 * Nest's `Logger` writes through nestjs-pino to the pino logger of request-logging.ts, whose
 * Fastify hook (`logRequests`, installed by create-app.ts) logs each request with its id (`req.id`,
 * assigned by Fastify, see request-id.ts). Credentials and query strings never reach the log.
 */
@Module({
  imports: [
    RequestLoggerModule,
    LoggerModule.forRootAsync({
      imports: [RequestLoggerModule],
      inject: [REQUEST_LOGGER],
      useFactory: (requests: HttpLogger) => ({
        // Nest's lines go to the same pino logger; no route gets nestjs-pino's middleware (see request-logging.ts).
        pinoHttp: { logger: requests.logger },
        forRoutes: [],
      }),
    }),
  ],
})
export class LoggingModule {}
