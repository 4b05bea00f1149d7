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
