import { startTestApp, TestApp } from '../support/test-app';
import { RawHttpClient } from './support/raw-http';
import { sendOnSocket } from './support/raw-socket';

/**
 * Requests the fuzz suite found answered wrongly, each pinned with its exact answer: what Node
 * and Fastify refuse before any route runs still gets a docs/api-contract.md §1 `{"detail"}` body, and a path
 * that does not take a method is a 405 before anything else is looked at (DRF's order).
 */
describe(`odd requests get docs/api-contract.md §1 answers (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let http: RawHttpClient;
  const auth = (): [string, string] => ['Authorization', `Bearer ${t.adminKey}`];

  beforeAll(async () => {
    t = await startTestApp();
    http = new RawHttpClient(t.baseUrl);
  });
  afterAll(async () => {
    http?.close();
    await t?.close();
  });

  it('CONNECT: 405 instead of a dropped connection', async () => {
    for (const target of ['/api/v3/events/events/', 'example.com:443']) {
      const answer = await sendOnSocket(t.baseUrl, `CONNECT ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(answer.status).toBe(405);
      expect(answer.headers['content-type']).toBe('application/json');
      expect(JSON.parse(answer.body)).toEqual({ detail: 'Method "CONNECT" not allowed.' });
    }
  });

  it('an Expect other than 100-continue: 417 with a detail, not an empty body', async () => {
    const res = await http.send({
      method: 'POST',
      path: '/api/v3/events/events/',
      headers: [auth(), ['Content-Type', 'application/json'], ['Expect', 'the-unexpected']],
      body: '{}',
    });
    expect(res.status).toBe(417);
    expect(res.body).toEqual({ detail: 'Expectation failed.' });
  });

  it('HTTP/1.1 without Host: 400 with a detail, not an empty body', async () => {
    const answer = await sendOnSocket(
      t.baseUrl,
      `GET /api/v3/events/events/ HTTP/1.1\r\nAuthorization: Bearer ${t.adminKey}\r\nConnection: close\r\n\r\n`,
    );
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ detail: 'Bad request.' });
    const http10 = await sendOnSocket(t.baseUrl, `GET /api/v3/events/events/ HTTP/1.0\r\nAuthorization: Bearer ${t.adminKey}\r\n\r\n`);
    expect(http10.status).toBe(200);
  });

  it('`..` segments: 404 Not found., not "permission denied" from the Swagger UI file server', async () => {
    for (const path of ['/api/v3/events/events/../../', '/api/v3/x/../swagger-ui.css', '/api/v3/..']) {
      const res = await http.send({ method: 'GET', path, headers: [auth()] });
      expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 404, body: { detail: 'Not found.' } });
    }
  });

  it('a path owned by a static route is a 405 for other methods, although a route with an id takes them', async () => {
    const cases: [string, string][] = [
      ['DELETE', '/api/v3/events/events/actions/'],
      ['PATCH', '/api/v3/events/events/actions/'],
      ['PUT', '/api/v3/core/users/me/'],
      ['DELETE', '/api/v3/core/users/me/'],
    ];
    for (const [method, path] of cases) {
      const res = await http.send({ method, path, headers: [auth(), ['Content-Type', 'application/json']], body: '{}' });
      expect({ method, path, status: res.status, body: res.body }).toEqual({
        method,
        path,
        status: 405,
        body: { detail: `Method "${method}" not allowed.` },
      });
    }
    expect((await t.admin.get('/api/v3/core/users/me/')).status).toBe(200);
  });

  it('the method is checked before the body: malformed JSON, a foreign type or none at all on the wrong method is a 405', async () => {
    const cases: { method: string; type?: string; body?: string }[] = [
      { method: 'POST', type: 'application/json', body: '{' },
      { method: 'PUT', type: 'text/plain', body: 'hello' },
      { method: 'DELETE', type: 'application/json', body: '[' },
      { method: 'QUERY' },
      { method: 'QUERY', type: 'application/json', body: '{}' },
    ];
    for (const { method, type, body } of cases) {
      const headers: [string, string][] = type ? [auth(), ['Content-Type', type]] : [auth()];
      const res = await http.send({ method, path: '/api/v3/events/events/actions/', headers, body });
      expect({ method, status: res.status, body: res.body }).toEqual({
        method,
        status: 405,
        body: { detail: `Method "${method}" not allowed.` },
      });
    }
    // On a path that takes the method, the body is still judged.
    const parse = await http.send({
      method: 'POST',
      path: '/api/v3/events/events/',
      headers: [auth(), ['Content-Type', 'application/json']],
      body: '{',
    });
    expect(parse.status).toBe(400);
  });

  it('a method Node does not know: 400 with a detail; WebDAV and TRACE: 405', async () => {
    const unknown = await sendOnSocket(t.baseUrl, `BREW /api/v3/events/events/ HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body)).toEqual({ detail: 'Bad request.' });
    for (const method of ['PROPFIND', 'TRACE', 'PURGE', 'OPTIONS']) {
      const res = await http.send({ method, path: '/api/v3/events/events/', headers: [auth()] });
      expect({ method, status: res.status, body: res.body }).toEqual({
        method,
        status: 405,
        body: { detail: `Method "${method}" not allowed.` },
      });
    }
  });

  it('a request line over 16 KiB: 431 with a detail, and no body on a HEAD', async () => {
    const path = `/api/v3/events/events/?search=${'q'.repeat(20_000)}`;
    const get = await http.send({ method: 'GET', path, headers: [auth()] });
    expect(get.status).toBe(431);
    expect(get.body).toEqual({ detail: 'Request header fields too large.' });
    const head = await http.send({ method: 'HEAD', path, headers: [auth()] });
    expect(head.status).toBe(431);
    expect(head.text).toBe('');
  });
});
