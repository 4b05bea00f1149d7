import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorDetail } from '@app/common';
import { EVENTS, eventPath, VIEW } from '../events/event-fixtures';
import { expectedEvent, httpRequestOf, snapshotOf, WITH_UA } from '../recording/recording-fixtures';
import { createUserWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { FlowCache, FlowsModule } from './flows.module';

const CACHE_CLEAR = '/api/v3/flows/instances/cache_clear/';
const CACHE_INFO = '/api/v3/flows/instances/cache_info/';
const CLEAR_PERMISSION = 'authentik_flows.clear_flow_cache';

/**
 * Issue 12, item 8: the README's module recipe, built as written. flows.module.ts is the README's
 * code block (the first test holds them equal), mounted beside the app's own modules the way
 * AppModule lists them, and driven over real HTTP.
 */
describe(`a module built by the README's recipe (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, { modules: [FlowsModule] });
  });
  afterAll(async () => t?.close());

  const recorded = async (action: string) => (await t.admin.get(`${EVENTS}?action=${action}`)).body.results;

  it("is the README's code block, word for word", () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const block = /```ts\n\/\/ src\/flows\/flows\.module\.ts\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    const fixture = readFileSync(join(__dirname, 'flows.module.ts'), 'utf8').replace("'../../src/events'", "'../events'");
    expect(block![1]).toBe(fixture);
  });

  it('guards its routes: 403 without a token and with a token lacking the permission, nothing recorded', async () => {
    const anonymous = await t.anonymous.post(CACHE_CLEAR);
    expect(anonymous.status).toBe(403);
    expect(anonymous.body).toEqual({ detail: ErrorDetail.notAuthenticated });
    const lacking = await createUserWithToken(t, { permissions: [VIEW] });
    const denied = await lacking.client.post(CACHE_CLEAR);
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ detail: ErrorDetail.permissionDenied });
    expect(await recorded('custom_flow_cache_cleared')).toEqual([]);
  });

  it('with the permission, records through @RequestEvents() and answers what record() returned: the event as the API shows it', async () => {
    const allowed = await createUserWithToken(t, { permissions: [CLEAR_PERMISSION] });
    const res = await allowed.client.post(`${CACHE_CLEAR}?next=/flows/`, undefined, WITH_UA);
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expectedEvent({
        user: await snapshotOf(allowed.client),
        action: 'custom_flow_cache_cleared',
        app: 'authentik.flows',
        context: { cleared: 0, http_request: httpRequestOf(res, 'POST', CACHE_CLEAR, { next: '/flows/' }) },
        client_ip: '127.0.0.1',
      }),
    );
    expect((await t.admin.get(eventPath(res.body.pk))).body).toEqual(res.body);
    expect(await recorded('custom_flow_cache_cleared')).toEqual([res.body]);
  });

  it("records outside a request through the service's EventRecorder, returning what the API shows", async () => {
    const event = await t.app.get(FlowCache).expire();
    expect(event).toEqual(
      expectedEvent({ user: {}, action: 'custom_flow_cache_expired', app: 'authentik.flows', context: { expired: 0 }, client_ip: null }),
    );
    expect((await t.admin.get(eventPath(event.pk))).body).toEqual(event);
    expect(await recorded('custom_flow_cache_expired')).toEqual([event]);
  });

  it('answers its @Public() route without a token', async () => {
    const res = await t.anonymous.get(CACHE_INFO);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ count: 0 });
  });

  it('appears in the OpenAPI document with its operation ids; the guarded route under the bearer scheme, the public one with it optional', async () => {
    const res = await t.anonymous.get('/api/v3/schema/?format=json');
    expect(res.status).toBe(200);
    const { paths, components } = res.body;
    expect(components.securitySchemes.authentik).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(paths[CACHE_CLEAR.replace('/api/v3', '')].post).toMatchObject({
      operationId: 'flows_instances_cache_clear_create',
      tags: ['flows'],
      security: [{ authentik: [] }],
      responses: { '201': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Event' } } } } },
    });
    expect(paths[CACHE_INFO.replace('/api/v3', '')].get).toMatchObject({
      operationId: 'flows_instances_cache_info_retrieve',
      security: [{ authentik: [] }, {}],
    });
  });
});
