import { connect, Socket } from 'node:net';
import { createUserWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const EVENTS = '/api/v3/events/events/';
const REQUEST_TIMEOUT_MS = 2_000;

/** A raw connection that collects what the server writes and notes when the server closes it. */
function openSocket(baseUrl: string): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined); // a reset after the answer is a close like any other
    const closed = new Promise<number>((done) => socket.on('close', () => done(performance.now())));
    socket.once('connect', () => resolve({ socket, received: () => Buffer.concat(chunks).toString('utf8'), closed }));
    socket.once('error', reject);
  });
}

const head = (method: string, path: string, headers: string[]) =>
  `${method} ${path} HTTP/1.1\r\nHost: x\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;

/** Issue 13 items 7 and 10 (parts): who is refused before the body is read, and how. */
describe(`early refusals (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
  });
  afterAll(async () => t?.close());

  it('a body from a caller without a valid token is not read: 403 at once, connection closed', async () => {
    for (const auth of [[], ['Authorization: Bearer not-a-key']]) {
      const { socket, received, closed } = await openSocket(t.baseUrl);
      // Announces 500 KB and sends none of it: only an answer that does not wait for the body comes back.
      socket.write(head('POST', EVENTS, [...auth, 'Content-Type: application/json', 'Content-Length: 500000']));
      await closed;
      const [status, ...rest] = received().split('\r\n');
      expect(status).toBe('HTTP/1.1 403 Forbidden');
      expect(rest).toContain('connection: close');
      const detail = auth.length ? 'Token invalid/expired' : 'Authentication credentials were not provided.';
      expect(received().endsWith(JSON.stringify({ detail }))).toBe(true);
    }
  });

  it('a body trickled at a byte per half second is cut off after REQUEST_TIMEOUT_MS with 408, far within 30 s', async () => {
    const { socket, received, closed } = await openSocket(t.baseUrl);
    const started = performance.now();
    socket.write(head('POST', EVENTS, [`Authorization: Bearer ${t.adminKey}`, 'Content-Type: application/json', 'Content-Length: 1000']));
    const trickle = setInterval(() => socket.writable && socket.write('{'), 500);
    const end = await closed;
    clearInterval(trickle);
    expect(received().split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect(received()).toContain('{"detail":"Request timeout."}');
    expect(end - started).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(end - started).toBeLessThan(30_000);
    const events = await t.admin.get(EVENTS);
    expect(events.body.pagination.count).toBe(0);
  });

  it('a wrong method on a known path: 403 without a valid token (DRF authenticates first), 405 with one', async () => {
    for (const [method, path] of [
      ['DELETE', EVENTS],
      ['PUT', '/api/v3/core/users/me/'],
      ['POST', `${EVENTS}actions/`],
    ]) {
      const anonymous = await t.anonymous.request(method, path, { token: null });
      expect([method, path, anonymous.status, anonymous.body]).toEqual([
        method,
        path,
        403,
        { detail: 'Authentication credentials were not provided.' },
      ]);
      const wrongKey = await t.anonymous.request(method, path, { token: 'not-a-key' });
      expect([method, path, wrongKey.status, wrongKey.body]).toEqual([method, path, 403, { detail: 'Token invalid/expired' }]);
      const valid = await t.admin.request(method, path);
      expect([method, path, valid.status, valid.body]).toEqual([method, path, 405, { detail: `Method "${method}" not allowed.` }]);
    }
    // Public paths and unknown paths are as before.
    expect((await t.anonymous.request('POST', '/-/health/live/', { token: null })).status).toBe(405);
    expect((await t.anonymous.request('GET', '/api/v3/no-such-thing/', { token: null })).status).toBe(404);
  });

  it('free-form JSON with a lone surrogate or a number beyond double range: 400, nothing stored', async () => {
    const cases: [string, string, Record<string, string[]>][] = [
      ['context', '{"note": "\\ud800"}', { context: ['Surrogate characters are not allowed: U+D800.'] }],
      ['context', '{"a\\udfffb": 1}', { context: ['Surrogate characters are not allowed: U+DFFF.'] }],
      ['context', '{"n": [1, 1e400]}', { context: ['Value must be valid JSON.'] }],
      ['user', '{"pk": -1e400}', { user: ['Value must be valid JSON.'] }],
      ['brand', '{"deep": {"x": "\\udbff"}}', { brand: ['Surrogate characters are not allowed: U+DBFF.'] }],
    ];
    for (const [field, json, expected] of cases) {
      const rawBody = `{"action": "login", "app": "x", "${field}": ${json}}`;
      const res = await t.admin.post(EVENTS, undefined, { rawBody, headers: { 'Content-Type': 'application/json' } });
      expect([rawBody, res.status, res.body]).toEqual([rawBody, 400, expected]);
    }
    const user = await createUserWithToken(t);
    const attributes = await t.admin.patch(`/api/v3/core/users/${user.pk}/`, undefined, {
      rawBody: '{"attributes": {"x": 1e400}}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect([attributes.status, attributes.body]).toEqual([400, { attributes: ['Value must be valid JSON.'] }]);
    expect((await t.admin.get(EVENTS)).body.pagination.count).toBe(0);
    // A surrogate pair is a character like any other.
    const pair = await t.admin.post(EVENTS, undefined, {
      rawBody: '{"action": "login", "app": "x", "context": {"emoji": "\\ud83d\\ude00", "big": 1e300}}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect([pair.status, pair.body.context]).toEqual([201, { emoji: '😀', big: 1e300 }]);
  });

  it('view_key/ answers carry Cache-Control: no-store', async () => {
    const tokens = await t.admin.get('/api/v3/core/tokens/');
    const identifier = tokens.body.results[0].identifier;
    const res = await t.admin.get(`/api/v3/core/tokens/${identifier}/view_key/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe(`a client blocked after failed authentications (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ AUTH_FAILURE_LIMIT: '2' });
  });
  afterAll(async () => t?.close());

  it('gets 429 with Retry-After for every request needing a token, a correct key included; public routes answer', async () => {
    for (let i = 0; i < 2; i++) expect((await t.anonymous.get(EVENTS, { token: `guess-${i}` })).status).toBe(403);
    const throttled = /^Request was throttled\. Expected available in (\d+) seconds\.$/;
    for (const res of [
      await t.anonymous.get(EVENTS, { token: 'guess-2' }),
      await t.admin.get(EVENTS), // the right key: a guesser learns nothing from it
      await t.admin.post(EVENTS, { action: 'login', app: 'x' }),
      await t.anonymous.get(EVENTS, { token: null }),
    ]) {
      expect(res.status).toBe(429);
      const seconds = Number(throttled.exec(res.body.detail)?.[1]);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(60);
      expect(res.headers.get('retry-after')).toBe(String(seconds));
    }
    expect((await t.anonymous.get('/-/health/live/')).status).toBe(200);
    expect((await t.anonymous.get('/api/v3/schema/?format=json')).status).toBe(200);
    const count = await t.dataSource.query(`SELECT COUNT(*) AS n FROM events`);
    expect(Number(count[0].n)).toBe(0);
  });
});
