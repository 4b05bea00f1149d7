import { BadRequestException, ForbiddenException, HttpException, Logger, NotFoundException } from '@nestjs/common';
import { ApiException } from './api-errors';
import { toErrorResponse } from './error-response';

const info = { method: 'POST', id: 'req-1', path: '/api/v3/events/events/', contentType: 'text/plain; charset=utf-8' };

describe('toErrorResponse', () => {
  it('passes API bodies through', () => {
    expect(toErrorResponse(new ApiException(400, { app: ['x'] }), info)).toEqual({ status: 400, body: { app: ['x'] } });
  });
  it('turns a router 404 into 405 when the path has other methods', () => {
    expect(toErrorResponse(new NotFoundException(), { ...info, allowedMethods: ['GET'] })).toEqual({
      status: 405,
      body: { detail: 'Method "POST" not allowed.' },
    });
  });
  it("turns a parameter route's 404 into 405 when a static route owns the path", () => {
    expect(toErrorResponse(new ApiException(404, { detail: 'Not found.' }), { ...info, allowedMethods: ['GET'] })).toEqual({
      status: 405,
      body: { detail: 'Method "POST" not allowed.' },
    });
    expect(toErrorResponse(new ApiException(404, { detail: 'Not found.' }), info).status).toBe(404);
  });
  it('checks the method before the body, as DRF does, but not before authentication', () => {
    const wrongMethod = { ...info, allowedMethods: ['GET'] };
    expect(toErrorResponse(new ApiException(400, { detail: 'JSON parse error - x' }), wrongMethod).status).toBe(405);
    expect(toErrorResponse({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }, wrongMethod).status).toBe(405);
    expect(toErrorResponse(new ApiException(403, { detail: 'Token invalid/expired' }), wrongMethod).status).toBe(403);
  });
  it('maps Fastify body errors', () => {
    expect(toErrorResponse({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }, info)).toEqual({
      status: 415,
      body: { detail: 'Unsupported media type "text/plain" in request.' },
    });
    expect(toErrorResponse({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }, info).status).toBe(413);
  });
  it('never leaks a message of an unexpected error', () => {
    const response = toErrorResponse(new Error('SELECT * FROM secrets failed'), info);
    expect(response).toEqual({ status: 500, body: { detail: 'A server error occurred.' } });
  });
  it('answers 503 when the database is unreachable', () => {
    expect(toErrorResponse(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }), info).status).toBe(503);
  });
  it("logs a 500's stack and a 503 with the request's id, method and path, as its request line has them", () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const request = { ...info, id: 'req-7', path: '/api/v3/events/events/' };
      toErrorResponse(new Error('boom'), request);
      toErrorResponse(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }), request);
      const req = { req: { id: 'req-7', method: 'POST', path: '/api/v3/events/events/' } };
      expect(error).toHaveBeenCalledWith(req, expect.stringContaining('Error: boom'));
      expect(warn).toHaveBeenCalledWith(req, 'database unavailable: connect');
    } finally {
      error.mockRestore();
      warn.mockRestore();
    }
  });
  it("answers 404 for the static file server's refusal of a `..` path, as Django resolves no URL there", () => {
    expect(toErrorResponse(new HttpException('Forbidden', 403), info)).toEqual({ status: 404, body: { detail: 'Not found.' } });
    expect(toErrorResponse(new ForbiddenException(), info).status).toBe(403);
  });
  it('uses DRF details for bare Nest exceptions', () => {
    expect(toErrorResponse(new ForbiddenException('internal words'), info).body).toEqual({
      detail: 'You do not have permission to perform this action.',
    });
    expect(toErrorResponse(new BadRequestException('x'), info).status).toBe(400);
  });
});

describe('toErrorResponse with Fastify errors wrapped by Nest', () => {
  it('keeps the 415 body', () => {
    const { HttpException } = jest.requireActual('@nestjs/common');
    expect(toErrorResponse(new HttpException('Unsupported Media Type', 415), info)).toEqual({
      status: 415,
      body: { detail: 'Unsupported media type "text/plain" in request.' },
    });
  });
});
