import { startTestApp, TestApp } from './support/test-app';

describe(`request limits (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ AUTH_FAILURE_LIMIT: '3', MAX_BODY_BYTES: '200000', MAX_JSON_DEPTH: '5' });
  });
  afterAll(async () => t?.close());

  it('refuses JSON nested deeper than MAX_JSON_DEPTH with a 400, before parsing it', async () => {
    const deep = (levels: number) => `{"action":"login","app":"x","context":${'{"a":'.repeat(levels)}{}${'}'.repeat(levels)}}`;
    const accepted = await t.admin.post('/api/v3/events/events/', undefined, {
      rawBody: deep(3),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(accepted.status).toBe(201);
    for (const levels of [4, 30_000]) {
      const refused = await t.admin.post('/api/v3/events/events/', undefined, {
        rawBody: deep(levels),
        headers: { 'Content-Type': 'application/json' },
      });
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({ detail: 'JSON parse error - nesting deeper than 5 levels is not allowed' });
    }
  });

  it('answers 413 for a body over MAX_BODY_BYTES', async () => {
    const res = await t.admin.post('/api/v3/core/users/', { username: 'x'.repeat(300_000) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ detail: 'Request body too large.' });
  });

  it('answers 429 once a client has failed authentication too often; public routes still answer (last: the client stays blocked)', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await t.anonymous.get('/api/v3/core/users/me/', { token: `wrong-${i}` });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'Token invalid/expired' });
    }
    const limited = await t.anonymous.get('/api/v3/core/users/me/', { token: 'wrong-again' });
    expect(limited.status).toBe(429);
    expect(limited.body.detail).toMatch(/^Request was throttled\. Expected available in \d+ seconds\.$/);
    const valid = await t.admin.get('/api/v3/schema/?format=json');
    expect(valid.status).toBe(200);
  });
});
