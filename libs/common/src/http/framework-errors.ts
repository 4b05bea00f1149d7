import { IncomingMessage, STATUS_CODES, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorDetail } from './api-errors';
import { requestFacts, toErrorResponse } from './error-response';

/**
 * Fastify's `frameworkErrors`: errors its router raises before any route runs (a path with bad
 * percent-encoding, a path parameter over `maxParamLength`). Without it Fastify answers with its
 * own `{"error", "code", "message"}` shape, which docs/api-contract.md §1 does not know.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorResponse(error, requestFacts(request));
  reply.status(status).header('content-type', 'application/json').send(body);
}

const CLIENT_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request header fields too large.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request timeout.'],
};

/**
 * Fastify's `clientErrorHandler`: requests Node's HTTP parser refuses (unknown method, bytes that
 * are not allowed in the request line, headers over the size limit). Nothing of the app runs, so
 * the answer is written to the socket directly, with a `{"detail"}` body, and the socket closed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // The peer is gone already: nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad request.'];
  // A HEAD request must get no body, or the client reads it as the start of the next answer.
  const rawPacket = (error as { rawPacket?: Buffer }).rawPacket;
  answerOnSocket(socket, status, detail, rawPacket?.subarray(0, 5).toString('latin1') !== 'HEAD ');
  socket.destroy(error);
}

/**
 * Requests Node's HTTP server handles itself and never passes to Fastify: `CONNECT` (without a
 * listener Node drops the connection unanswered) and an `Expect` other than `100-continue` (Node's
 * bare 417). Both get a `{"detail"}` body like every other refusal.
 */
export function answerRequestsNodeKeeps(server: Server): void {
  server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    answerOnSocket(socket, 405, ErrorDetail.methodNotAllowed(request.method ?? 'CONNECT'));
    socket.end();
  });
  server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    const body = JSON.stringify({ detail: 'Expectation failed.' });
    response.writeHead(417, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
  });
}

/**
 * HTTP/1.1 demands a Host header (RFC 9112 §3.2) and Node refuses a request without one, but
 * with an empty 400. The same refusal, with a `{"detail"}` body.
 */
export function requireHostHeader(fastify: FastifyInstance): void {
  // Node's own check, read per request; its typings do not list the property.
  (fastify.server as Server & { requireHostHeader: boolean }).requireHostHeader = false;
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
      return reply.status(400).header('content-type', 'application/json').send({ detail: 'Bad request.' });
    }
  });
}

function answerOnSocket(socket: Duplex, status: number, detail: string, withBody = true): void {
  if (!socket.writable) return;
  const body = JSON.stringify({ detail });
  socket.write(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${withBody ? body : ''}`,
  );
}
