import type { INestApplication, LoggerService } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { ErrorDetail } from '@app/common';

/**
 * Draining, from the moment `app.close()` closes the HTTP server: requests that still arrive on
 * open keep-alive connections get docs/api-contract.md §1's 503 (instead of Fastify's own body), and every
 * response closes its connection, so the drain ends as soon as the in-flight requests are
 * answered. New connections are refused by the closed listener.
 */
export function refuseRequestsWhileClosing(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    void reply.code(503).header('connection', 'close').send({ detail: ErrorDetail.unavailable });
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
}

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * On SIGTERM or SIGINT: close the application (Nest stops the scheduled jobs, lets a running purge
 * finish its batch, drains the HTTP server, then closes the database pool) and exit 0; exit 1
 * when that fails or takes longer than `timeoutMs`. A second signal ends the process at once.
 * (Nest's own `enableShutdownHooks` re-raises the signal afterwards, so the exit code is not 0.)
 */
export function closeOnSignals(app: INestApplication, timeoutMs: number, logger: LoggerService): void {
  const close = (signal: NodeJS.Signals) => {
    for (const s of SHUTDOWN_SIGNALS) process.removeListener(s, close);
    logger.log(`${signal}: finishing in-flight requests, then exiting`);
    setTimeout(() => {
      logger.error(`shutdown took longer than ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS); exiting`);
      process.exit(1);
    }, timeoutMs).unref();
    app.close().then(
      () => process.exit(0),
      (error: Error) => {
        logger.error(`shutdown failed: ${error.stack ?? error}`);
        process.exit(1);
      },
    );
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, close);
}
