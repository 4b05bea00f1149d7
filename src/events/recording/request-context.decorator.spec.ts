import type { Principal } from '@app/auth';
import { parseTrustedProxies } from '../../config/trusted-proxies';
import { clientIpOfRequest } from './client-ip';
import { httpRequestContext } from './http-request-context';
import type { RecordableRequest } from './recording.types';
import { requestFacts } from './request-context.decorator';

const principal: Principal = {
  user: { pk: 7, uuid: '4c1f0d8e-2b3a-4c5d-8e9f-0a1b2c3d4e5f', username: 'jane', name: 'Jane', email: '', is_superuser: false },
  permissions: new Set(),
  tokenIdentifier: 'ci',
};

/** Shaped like a Fastify request: more on it than recording reads, the request id on `raw`. */
function liveRequest(): RecordableRequest & { body: unknown } {
  return {
    url: '/api/v3/core/users/7/?token=abc',
    method: 'PATCH',
    headers: { 'user-agent': 'curl/8.5', 'x-forwarded-for': '203.0.113.9' },
    raw: { id: 'f1d2c3b4-0000-4000-8000-000000000001', socket: {} },
    socket: { remoteAddress: '10.0.0.2' },
    principal,
    body: { name: 'Jane' },
  };
}

describe('requestFacts (what @RequestContext() hands a service)', () => {
  const proxies = parseTrustedProxies('10.0.0.0/8');

  it('records the same http_request, client IP and caller as the request itself', () => {
    const live = liveRequest();
    const facts = requestFacts(live);
    expect(httpRequestContext(facts)).toEqual(httpRequestContext(live));
    expect(clientIpOfRequest(facts, proxies)).toBe('203.0.113.9');
    expect(facts.principal).toBe(principal);
  });

  it('is plain data: nothing of the request beyond what recording reads', () => {
    expect(requestFacts(liveRequest())).toEqual({
      url: '/api/v3/core/users/7/?token=abc',
      method: 'PATCH',
      headers: { 'user-agent': 'curl/8.5', 'x-forwarded-for': '203.0.113.9' },
      raw: { id: 'f1d2c3b4-0000-4000-8000-000000000001' },
      socket: { remoteAddress: '10.0.0.2' },
      principal,
    });
  });

  it('leaves out a request id the request does not have', () => {
    expect(httpRequestContext(requestFacts({ ...liveRequest(), raw: {} }))).not.toHaveProperty('request_id');
  });
});
