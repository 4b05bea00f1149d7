import { EVENTS } from '../events/event-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { expectedEvent, MODEL_EVENTS_APP } from './recording-fixtures';

/**
 * Model events come from every code path, not only the API (SPEC §6.3): the first start creates
 * `akadmin` and the bootstrap token through the identity services, which record them with no
 * request and no acting user.
 */
describe(`bootstrap model events (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, { keepStartupEvents: true });
  });
  afterAll(async () => t?.close());

  it('records model_created for akadmin and its token', async () => {
    const admin = (await t.admin.get('/api/v3/core/users/me/')).body.user;
    const token = (await t.admin.get('/api/v3/core/tokens/authentik-bootstrap-token/')).body;
    const res = await t.admin.get(EVENTS);
    const created = (model: object) => expectedEvent({ user: {}, action: 'model_created', app: MODEL_EVENTS_APP, context: { model }, client_ip: null });
    expect(res.body.results.reverse()).toEqual([
      created({ app: 'authentik_core', model_name: 'user', pk: admin.pk, name: 'authentik Default Admin' }),
      created({ app: 'authentik_core', model_name: 'token', pk: token.pk.replace(/-/g, ''), name: 'authentik-bootstrap-token' }),
    ]);
  });
});
