import type { FastifyInstance } from 'fastify';
import { answerRequestsNodeKeeps, requireHostHeader } from './framework-errors';
import { BULK_BODY, registerJsonBodyParser } from './json-body';
import { NEEDS_TOKEN, RouteTable } from './route-table';

/**
 * Fastify-level wiring that Nest's pipeline cannot see: the JSON parser and the route table for
 * 405s. Must run before the app is initialised. Errors Fastify raises before a handler runs
 * (body too large, unsupported media type) reach the global filter through Nest's own Fastify
 * error handler; what Node answers itself (CONNECT, odd `Expect`, no Host) is handled in framework-errors.
 */
export function configureFastify(
  fastify: FastifyInstance,
  routes: RouteTable,
  limits: { bodyLimit: number; maxJsonDepth: number; bulkBodyLimit?: number },
): void {
  fastify.addHook('onRoute', (route) => {
    const config = route.config as Record<string, unknown> | undefined;
    routes.add(route.method, route.url, config?.[NEEDS_TOKEN] === true);
    // A bulk route's limit replaces the global one (Fastify reads a route's bodyLimit after these hooks).
    if (config?.[BULK_BODY] === true && limits.bulkBodyLimit) route.bodyLimit = limits.bulkBodyLimit;
  });
  registerJsonBodyParser(fastify, limits.bodyLimit, limits.maxJsonDepth);
  answerRequestsNodeKeeps(fastify.server);
  requireHostHeader(fastify);
}
