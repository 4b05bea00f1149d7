import type { FastifyRequest } from 'fastify';
import { MASKED_VALUE } from '@app/common';
import { deepFreeze } from '@app/common/testing/deep-freeze';
import { httpRequestContext, HttpRequestLike } from './http-request-context';

function request(url: string, overrides: Partial<HttpRequestLike> = {}): HttpRequestLike {
  return { url, method: 'GET', headers: { 'user-agent': 'curl/8.5' }, raw: { id: 'f1d2c3b4-0000-4000-8000-000000000001' }, ...overrides };
}

describe('httpRequestContext', () => {
  it('builds {path, method, args, user_agent, request_id} in that order', () => {
    const context = httpRequestContext(request('/api/v3/core/users/?search=jane&page=2', { method: 'POST' }));
    expect(context).toEqual({
      path: '/api/v3/core/users/',
      method: 'POST',
      args: { search: 'jane', page: '2' },
      user_agent: 'curl/8.5',
      request_id: 'f1d2c3b4-0000-4000-8000-000000000001',
    });
    expect(Object.keys(context)).toEqual(['path', 'method', 'args', 'user_agent', 'request_id']);
  });

  it('masks secret query-string args', () => {
    expect(httpRequestContext(request('/x/?token=abc&api_key=k&passing=yes')).args).toEqual({
      token: MASKED_VALUE,
      api_key: MASKED_VALUE,
      passing: 'yes',
    });
  });

  it('has empty args without a query string', () => {
    expect(httpRequestContext(request('/x/')).args).toEqual({});
    expect(httpRequestContext(request('/x/?')).args).toEqual({});
  });

  it('percent-decodes the path, keeping a malformed escape as sent', () => {
    expect(httpRequestContext(request('/api/v3/a%20b/')).path).toBe('/api/v3/a b/');
    expect(httpRequestContext(request('/api/v3/%zz/')).path).toBe('/api/v3/%zz/');
  });

  it('writes a missing user agent as an empty string', () => {
    expect(httpRequestContext(request('/x/', { headers: {} })).user_agent).toBe('');
  });

  it('leaves request_id out when the request has none, and writes a numeric one as text', () => {
    expect(httpRequestContext(request('/x/', { raw: {} }))).not.toHaveProperty('request_id');
    expect(httpRequestContext(request('/x/', { raw: { id: 7 } })).request_id).toBe('7');
  });

  it('removes NUL characters from every value', () => {
    const context = httpRequestContext(request('/a%00b/?q=x%00y', { headers: { 'user-agent': 'U\0A' } }));
    expect([context.path, context.args, context.user_agent]).toEqual(['/ab/', { q: 'xy' }, 'UA']);
  });

  it('does not modify the request', () => {
    const frozen = deepFreeze(request('/x/?token=t'));
    expect(httpRequestContext(frozen).args).toEqual({ token: MASKED_VALUE });
    expect(frozen.url).toBe('/x/?token=t');
  });

  it('accepts a FastifyRequest as it is', () => {
    const accepts = (fastifyRequest: FastifyRequest): HttpRequestLike => fastifyRequest;
    expect(accepts).toBeDefined();
  });
});
