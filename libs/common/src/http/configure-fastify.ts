import type { FastifyInstance } from 'fastify';
import { answerRequestsNodeKeeps, requireHostHeader } from './framework-errors';
import { registerJsonBodyParser } from './json-body';
import { NEEDS_TOKEN, RouteTable } from './route-table';

/**
 * Fastify-level wiring that Nest's pipeline cannot see: the JSON parser and the route table for
 * 405s. Must run before the app is initialised. Errors Fastify raises before a handler runs
 * (body too large, unsupported media type) reach the global filter through Nest's own Fastify
 * error handler; what Node answers itself (CONNECT, odd `Expect`, no Host) is handled in framework-errors.
 */
export function configureFastify(fastify: FastifyInstance, routes: RouteTable, limits: { bodyLimit: number; maxJsonDepth: number }): void {
  fastify.addHook('onRoute', (route) =>
    routes.add(route.method, route.url, (route.config as Record<string, unknown> | undefined)?.[NEEDS_TOKEN] === true),
  );
  registerJsonBodyParser(fastify, limits.bodyLimit, limits.maxJsonDepth);
  answerRequestsNodeKeeps(fastify.server);
  requireHostHeader(fastify);
}
