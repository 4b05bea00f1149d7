import { ModulesContainer, Reflector } from '@nestjs/core';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import { METHOD_METADATA } from '@nestjs/common/constants';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NEEDS_TOKEN, requestFacts, RouteTable, toErrorResponse } from '@app/common';
import { PUBLIC_KEY } from './auth.decorators';
import { BearerAuthentication } from './bearer-authentication';

/**
 * Marks every controller route that is not `@Public()` in its Fastify route config, so that a
 * hook running before the body is read knows it needs a token. Must run before the routes are
 * registered (before `app.init()`); Nest copies a handler's metadata onto the registered route.
 */
export function markTokenRoutes(modules: ModulesContainer, reflector: Reflector): void {
  for (const module of modules.values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const prototype = metatype.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        const isPublic = reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [handler, metatype]) ?? false;
        const config = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) ?? {};
        Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, [NEEDS_TOKEN]: !isPublic }, handler);
      }
    }
  }
}

/**
 * Checks the bearer token in `onRequest`, before Fastify reads the body: a caller without a valid
 * token gets authentik's 403 (or the limiter's 429) at once, and its body is never parsed (a large
 * one is not even read, see below). The principal is kept on the request for the
 * guard, which then checks permissions only.
 *
 * A wrong method on a known path needs a token too: DRF authenticates in `initial()`, before it
 * looks for the method's handler, so without a valid token that is a 403, with one the 405.
 */
export function authenticateBeforeBody(fastify: FastifyInstance, authentication: BearerAuthentication, routes: RouteTable): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (!needsToken(request, routes)) return;
    try {
      (request as FastifyRequest & { principal?: unknown }).principal = await authentication.authenticate(
        request.headers.authorization,
        request.ip,
      );
    } catch (error) {
      const { status, body, headers } = toErrorResponse(error, requestFacts(request));
      if (largeOrUnknownBody(request)) reply.header('connection', 'close');
      return reply
        .status(status)
        .headers(headers ?? {})
        .header('content-type', 'application/json')
        .send(body);
    }
  });
}

/**
 * Node reads and discards the unread rest of a refused request's body to keep the connection
 * alive; for a small body that is cheaper than a new connection. A large or chunked one is not
 * read: the connection is closed after the answer. (Closing with a small body still in flight
 * would risk a reset that loses the 403 on its way to the client.)
 */
const DISCARDED_BODY_BYTES = 64 * 1024;

function largeOrUnknownBody(request: FastifyRequest): boolean {
  if (request.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(request.headers['content-length'] ?? 0);
  return !(length <= DISCARDED_BODY_BYTES);
}

function needsToken(request: FastifyRequest, routes: RouteTable): boolean {
  const config = request.routeOptions.config as { [NEEDS_TOKEN]?: boolean } | undefined;
  if (config?.[NEEDS_TOKEN] !== undefined) return config[NEEDS_TOKEN];
  // No route matched: a path that exists under other methods is a 405, after authentication.
  return request.is404 && routes.wrongMethodNeedsToken(request.method, request.url);
}
