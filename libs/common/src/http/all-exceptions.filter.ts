import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestFacts, toErrorResponse } from './error-response';
import { RouteTable } from './route-table';

/** The one global filter: every error becomes a documented body (docs/api-contract.md §1), never a stack trace. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly routes: RouteTable) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { status, body, headers } = toErrorResponse(exception, {
      ...requestFacts(request),
      contentType: request.headers['content-type'],
      allowedMethods: this.routes.otherMethods(request.method, request.url),
    });
    if (reply.sent) return;
    reply
      .status(status)
      .headers(headers ?? {})
      .header('content-type', 'application/json')
      .send(body);
  }
}
