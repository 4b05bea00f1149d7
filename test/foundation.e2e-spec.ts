import { startTestApp, TestApp } from './support/test-app';

describe(`foundation (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('answers liveness and readiness without credentials', async () => {
    expect((await t.anonymous.get('/-/health/live/')).status).toBe(200);
    expect((await t.anonymous.get('/-/health/ready/')).status).toBe(200);
  });

  it('serves the schema as YAML and JSON without credentials', async () => {
    const yaml = await t.anonymous.get('/api/v3/schema/');
    expect(yaml.status).toBe(200);
    expect(yaml.text).toMatch(/^openapi: 3/);
    const json = await t.anonymous.get('/api/v3/schema/?format=json');
    expect(json.body.servers).toEqual([{ url: '/api/v3' }]);
  });

  it('answers 404 Not found. for an unknown path', async () => {
    const res = await t.admin.get('/api/v3/nothing/here/');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: 'Not found.' });
  });
});

describe(`request ids (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it("returns a generated request id, or the caller's sane one", async () => {
    const generated = await t.anonymous.get('/-/health/live/');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const given = await t.anonymous.get('/-/health/live/', { headers: { 'X-Request-Id': 'trace-42' } });
    expect(given.headers.get('x-request-id')).toBe('trace-42');
    const hostile = await t.anonymous.get('/api/v3/nothing/', { headers: { 'X-Request-Id': 'a b<script>' } });
    expect(hostile.status).toBe(404);
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
