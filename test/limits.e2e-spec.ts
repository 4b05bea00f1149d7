import { startTestApp, TestApp } from './support/test-app';

describe(`request limits (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ AUTH_FAILURE_LIMIT: '3', MAX_BODY_BYTES: '2048' });
  });
  afterAll(async () => t?.close());

  it('answers 429 once a client has failed authentication too often, and still serves valid keys', async () => {
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

  it('answers 413 for a body over MAX_BODY_BYTES', async () => {
    const res = await t.admin.post('/api/v3/core/users/', { username: 'x'.repeat(4096) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ detail: 'Request body too large.' });
  });
});
