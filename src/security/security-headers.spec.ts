import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import fastify, { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { SECURITY_HEADER_OPTIONS, addSecurityHeaders, helmetHeaderSteps } from './security-headers';

function nodeResponse(): ServerResponse {
  return new ServerResponse(new IncomingMessage(new Socket()));
}

/** The headers a Node response ends up with (names as given, in order) after `apply`. */
function headersAfter(apply: (res: ServerResponse) => void): [string, string | number | string[]][] {
  const res = nodeResponse();
  res.setHeader('X-Powered-By', 'something');
  apply(res);
  // Node keeps the names as set (helmet's capitalisation); its typings do not list this method.
  const names = (res as ServerResponse & { getRawHeaderNames(): string[] }).getRawHeaderNames();
  return names.map((name) => [name, res.getHeader(name)!]);
}

describe('helmetHeaderSteps', () => {
  it('replays to exactly the headers helmet itself gives a Node response (names, order, values, X-Powered-By removed)', () => {
    const steps = helmetHeaderSteps(SECURITY_HEADER_OPTIONS);
    const byHelmet = headersAfter((res) => helmet(SECURITY_HEADER_OPTIONS)({} as IncomingMessage, res, () => undefined));
    const replayed = headersAfter((res) => {
      for (const [name, value] of steps) {
        if (value === null) res.removeHeader(name);
        else res.setHeader(name, value);
      }
    });
    expect(replayed).toEqual(byHelmet);
    expect(replayed.map(([name]) => name)).not.toContain('X-Powered-By');
    expect(steps).toContainEqual(['X-Powered-By', null]);
  });

  it("keeps helmet's defaults and lets Swagger UI run its inline scripts and styles over plain HTTP", () => {
    const headers = new Map(helmetHeaderSteps(SECURITY_HEADER_OPTIONS));
    expect(headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(headers.get('X-Frame-Options')).toBe('SAMEORIGIN');
    expect(headers.get('Strict-Transport-Security')).toBe('max-age=31536000; includeSubDomains');
    const csp = headers.get('Content-Security-Policy')!.split(';');
    expect(csp).toEqual(
      expect.arrayContaining([
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
      ]),
    );
    expect(csp.join(';')).not.toContain('upgrade-insecure-requests');
  });

  it('refuses options whose headers depend on the request (a per-request CSP nonce)', () => {
    const withNonce: HelmetOptions = {
      contentSecurityPolicy: {
        directives: { scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as unknown as { locals: { nonce: string } }).locals.nonce}'`] },
      },
    };
    expect(() => helmetHeaderSteps(withNonce)).toThrow(/depend on the request/);
  });
});

describe('addSecurityHeaders', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = fastify();
    app.addHook('onRequest', (_request, reply, done) => {
      reply.raw.setHeader('X-Powered-By', 'a framework');
      done();
    });
    addSecurityHeaders(app);
    app.get('/ok', async () => ({ ok: true }));
    app.get('/fails', async () => {
      throw new Error('boom');
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it.each([
    ['a route', '/ok', 200],
    ['an error', '/fails', 500],
    ['an unknown path', '/nothing', 404],
  ])('gives %s the same headers as helmet, on every request', async (_kind, url, status) => {
    const expected = Object.fromEntries(
      headersAfter((res) => helmet(SECURITY_HEADER_OPTIONS)({} as IncomingMessage, res, () => undefined)).map(([name, value]) => [
        name.toLowerCase(),
        value,
      ]),
    );
    for (let i = 0; i < 2; i++) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(status);
      expect(res.headers).toEqual(expect.objectContaining(expected));
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });
});
