import { ModulesContainer, NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { authenticateBeforeBody, BearerAuthentication, markTokenRoutes } from '@app/auth';
import { RouteTable, answerClientError, answerFrameworkError, configureFastify } from '@app/common';
import { AppModule, FeatureModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { refuseRequestsWhileClosing } from './lifecycle/graceful-shutdown';
import { QuietStartupLogger } from './logging/quiet-startup-logger';
import { exposeRequestId, generateRequestId } from './logging/request-id';
import { logRequests, REQUEST_LOGGER } from './logging/request-logging';
import { AppMetrics } from './metrics/app-metrics';
import { recordHttpMetrics } from './metrics/http-metrics';
import { setupOpenApi } from './openapi/setup-openapi';
import { addSecurityHeaders } from './security/security-headers';

export const API_PREFIX = 'api/v3';

export interface CreateAppOptions {
  /**
   * Feature modules to mount beside AppModule's own, exactly as if they were listed in its
   * imports: under the guard, the prefix and the OpenAPI document. For an entry point of its
   * own or a test; a module of this repository belongs in AppModule's list.
   */
  modules?: readonly FeatureModule[];
}

/**
 * A client that trickles its request (a byte a second) is cut off once REQUEST_TIMEOUT_MS has
 * passed since the request began: Node answers 408 (framework-errors.ts) and closes the
 * connection. Node looks for such requests every `connectionsCheckingInterval`, so it is a second
 * here instead of 30 s. A connection on which nothing moves for CONNECTION_TIMEOUT_MS is closed.
 */
function slowClientTimeouts(config: AppConfig) {
  return {
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.connectionTimeoutMs,
    http: {
      // Node refuses a headers timeout above the request timeout.
      headersTimeout: Math.min(60_000, config.requestTimeoutMs),
      requestTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: 1_000,
    },
  };
}

/**
 * Builds the application exactly as production runs it; `main.ts` and the e2e tests both call
 * this, so the tests exercise the real adapter, parser, filter, guard and pipe.
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: false, // X-Forwarded-For is judged by TRUSTED_PROXIES, see client-ip.ts
    return503OnClosing: false, // docs/api-contract.md §1's 503 body instead, see graceful-shutdown.ts
    genReqId: generateRequestId,
    // docs/api-contract.md §1 bodies for what Fastify and Node refuse before any route runs.
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    ...slowClientTimeouts(config),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options.modules), adapter, {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false, // our own strict JSON parser, see json-body.ts
  });
  app.useLogger(new QuietStartupLogger(app.get(Logger)));
  app.setGlobalPrefix(API_PREFIX, { exclude: ['-/health/live', '-/health/ready'] });

  const fastify = app.getHttpAdapter().getInstance();
  logRequests(fastify, app.get(REQUEST_LOGGER));
  configureFastify(fastify, app.get(RouteTable), {
    bodyLimit: config.bodyLimitBytes,
    maxJsonDepth: config.maxJsonDepth,
    bulkBodyLimit: config.bulk.bodyLimitBytes,
  });
  exposeRequestId(fastify);
  refuseRequestsWhileClosing(fastify);
  addSecurityHeaders(fastify);
  // After the hooks above, so that a refusal carries the request id and the security headers.
  markTokenRoutes(app.get(ModulesContainer), app.get(Reflector));
  authenticateBeforeBody(fastify, app.get(BearerAuthentication), app.get(RouteTable));
  // Nobody scrapes with METRICS_PORT=off: then responses cost nothing extra.
  if (config.metrics) recordHttpMetrics(fastify, app.get(AppMetrics));
  setupOpenApi(app);
  await app.init();
  return app;
}
