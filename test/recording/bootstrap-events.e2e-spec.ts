import { EVENTS } from '../events/event-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { expectedEvent, MODEL_EVENTS_APP } from './recording-fixtures';

/**
 * Model events come from every code path, not only the API (docs/api-contract.md §6.3): the first start creates
 * `akadmin` and the bootstrap token through the identity services, which record them with no
 * request and no acting user.
 */
describe(`bootstrap model events (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, { keepStartupEvents: true });
  });
  afterAll(async () => t?.close());

  it('records model_created for akadmin, its superuser group and its token, and the membership', async () => {
    const admin = (await t.admin.get('/api/v3/core/users/me/')).body.user;
    const group = (await t.admin.get('/api/v3/core/groups/?name=authentik%20Admins')).body.results[0];
    const groupRef = { app: 'authentik_core', model_name: 'group', pk: group.pk.replace(/-/g, ''), name: 'authentik Admins' };
    const token = (await t.admin.get('/api/v3/core/tokens/authentik-bootstrap-token/')).body;
    const res = await t.admin.get(EVENTS);
    const created = (model: object) =>
      expectedEvent({ user: {}, action: 'model_created', app: MODEL_EVENTS_APP, context: { model }, client_ip: null });
    expect(res.body.results.reverse()).toEqual([
      created({ app: 'authentik_core', model_name: 'user', pk: admin.pk, name: 'authentik Default Admin' }),
      // authentik's blueprint makes `authentik Admins`; here the bootstrap does, then puts akadmin in it.
      created(groupRef),
      expectedEvent({
        user: {},
        action: 'model_updated',
        app: MODEL_EVENTS_APP,
        context: { model: groupRef, diff: { users: { add: [admin.pk] } } },
        client_ip: null,
      }),
      created({ app: 'authentik_core', model_name: 'token', pk: token.pk.replace(/-/g, ''), name: 'authentik-bootstrap-token' }),
    ]);
  });
});
