import type { FastifyInstance } from 'fastify';
import { toErrorResponse } from './error-response';
import { registerJsonBodyParser } from './json-body';
import { RouteTable } from './route-table';

/**
 * Fastify-level wiring that Nest's pipeline cannot see: the JSON parser, the route table for
 * 405s, and an error handler for failures that happen before a Nest handler runs (body too
 * large, unsupported media type, malformed JSON). Must run before the app is initialised.
 */
export function configureFastify(fastify: FastifyInstance, routes: RouteTable, bodyLimit: number): void {
  fastify.addHook('onRoute', (route) => routes.add(route.method, route.url));
  registerJsonBodyParser(fastify, bodyLimit);
  fastify.setErrorHandler((error, request, reply) => {
    const { status, body } = toErrorResponse(error, {
      method: request.method,
      contentType: request.headers['content-type'],
    });
    reply.status(status).header('content-type', 'application/json').send(body);
  });
}
