import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { RecordableRequest } from './recording.types';

/**
 * The current request as plain data, for a service that records events about it (the
 * `request` of `RecordOptions`): its URL, method, headers, peer address, request id and the
 * authenticated caller. Services take this instead of the framework's request object, so they
 * neither depend on Fastify nor hold on to a live request:
 *
 * ```ts
 * @Delete(':id')
 * destroy(@Param('id') id: string, @RequestContext() request: RecordableRequest) {
 *   return this.things.destroy(id, { request });
 * }
 * ```
 */
export const RequestContext = createParamDecorator((_: unknown, context: ExecutionContext): RecordableRequest =>
  requestFacts(context.switchToHttp().getRequest()),
);

/** Copies what recording reads of a request (see `httpRequestContext` and `clientIpOfRequest`). */
export function requestFacts(request: RecordableRequest): RecordableRequest {
  const requestId: unknown = (request.raw as { id?: unknown }).id;
  return {
    url: request.url,
    method: request.method,
    headers: { ...request.headers },
    raw: requestId === undefined ? {} : { id: requestId },
    socket: { remoteAddress: request.socket.remoteAddress },
    principal: request.principal,
  };
}
