import { DeliveryInputs } from '../../src/notifications/rules/delivery-inputs';
import { createUserWithToken, UserFixture } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { expectAnswer, expectForbidden, noMatch, PAGE_KEYS, singlePage, UUID } from '../identity/identity-expectations';

const RULES = '/api/v3/events/rules/';
const TRANSPORTS = '/api/v3/events/transports/';
const GROUPS = '/api/v3/core/groups/';
const BINDINGS = '/api/v3/policies/bindings/';
const MATCHERS = '/api/v3/policies/event_matcher/';
const UNKNOWN_UUID = '8ede6f7b-9187-4b45-8536-e7ec6b90bf18';
const RULE_KEYS = ['pk', 'name', 'transports', 'severity', 'destination_group', 'destination_group_obj', 'destination_event_user'];

describe(`notification rules (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let reader: UserFixture;
  let nobody: UserFixture;
  let member: UserFixture;
  let hook: string;
  let local: string;
  let ops: string;

  const created = async (path: string, body: Record<string, unknown>) => {
    const res = await t.admin.post(path, body);
    expect(res.status).toBe(201);
    return res.body;
  };
  const lastEvent = async (action: string) =>
    ((await t.admin.get(`/api/v3/events/events/?action=${action}&ordering=-created`)).body.results as any[])[0];

  beforeAll(async () => {
    t = await startTestApp();
    reader = await createUserWithToken(t, { username: 'reader', permissions: ['authentik_events.view_notificationrule'] });
    nobody = await createUserWithToken(t, { username: 'nobody' });
    member = await createUserWithToken(t, { username: 'member' });
    hook = (await created(TRANSPORTS, { name: 'hook', mode: 'webhook', webhook_url: 'http://127.0.0.1:9/' })).pk;
    local = (await created(TRANSPORTS, { name: 'local' })).pk;
    ops = (await created(GROUPS, { name: 'ops', users: [member.pk] })).pk;
  });
  afterAll(async () => t?.close());

  describe('CRUD', () => {
    it("creates with authentik's defaults, answers the full group, and records model_created", async () => {
      const res = await t.admin.post(RULES, { name: 'alert ops', transports: [local, hook], destination_group: ops });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(RULE_KEYS);
      expect(res.body).toEqual({
        pk: expect.stringMatching(UUID),
        name: 'alert ops',
        transports: [local, hook],
        severity: 'notice',
        destination_group: ops,
        destination_group_obj: expect.objectContaining({ pk: ops, name: 'ops', users: [member.pk] }),
        destination_event_user: false,
      });
      expect(res.body.destination_group_obj.users_obj).toEqual([expect.objectContaining({ pk: member.pk, username: 'member' })]);
      expect((await lastEvent('model_created')).context.model).toEqual({
        app: 'authentik_events',
        model_name: 'notificationrule',
        pk: res.body.pk.replace(/-/g, ''),
        name: 'Notification Rule alert ops',
      });
      const bare = await created(RULES, { name: 'bare', severity: 'alert', destination_event_user: true });
      expect(bare).toMatchObject({
        transports: [],
        severity: 'alert',
        destination_group: null,
        destination_group_obj: null,
        destination_event_user: true,
      });
    });

    it('lists by name with filters, search, ordering and the group expansions of the request', async () => {
      const list = await t.admin.get(RULES);
      expect(list.status).toBe(200);
      expect(Object.keys(list.body)).toEqual(PAGE_KEYS);
      expect(list.body.pagination).toEqual(singlePage(2));
      expect(list.body.results.map((r: any) => r.name)).toEqual(['alert ops', 'bare']);
      const names = async (query: string) => ((await t.admin.get(`${RULES}${query}`)).body.results as any[]).map((r) => r.name);
      expect(await names('?ordering=-name')).toEqual(['bare', 'alert ops']);
      expect(await names('?severity=alert')).toEqual(['bare']);
      expect(await names('?name=bare')).toEqual(['bare']);
      expect(await names('?destination_group__name=ops')).toEqual(['alert ops']);
      expect(await names('?search=OPS')).toEqual(['alert ops']);
      expect(await names('?search=nothing')).toEqual([]);
      expectAnswer(await t.admin.get(`${RULES}?severity=loud`), 400, {
        severity: ['Select a valid choice. loud is not one of the available choices.'],
      });
      const lean = await t.admin.get(`${RULES}?name=alert%20ops&include_users=false`);
      expect(lean.body.results[0].destination_group_obj.users_obj).toBeNull();
    });

    it('retrieves, updates (PUT and PATCH) and records model_updated', async () => {
      const rule = (await t.admin.get(`${RULES}?name=bare`)).body.results[0];
      expectAnswer(await t.admin.get(`${RULES}${rule.pk}/`), 200, rule);
      const patched = await t.admin.patch(`${RULES}${rule.pk}/`, { transports: [hook], destination_group: ops });
      expect(patched.body).toMatchObject({ name: 'bare', transports: [hook], destination_group: ops, severity: 'alert' });
      expect((await lastEvent('model_updated')).context.diff).toMatchObject({
        destination_group: { previous_value: null, new_value: ops },
      });
      const put = await t.admin.put(`${RULES}${rule.pk}/`, { name: 'renamed', destination_group: null });
      expect(put.body).toMatchObject({ name: 'renamed', transports: [hook], destination_group: null, destination_group_obj: null });
      expectAnswer(await t.admin.get(`${RULES}${UNKNOWN_UUID}/`), 404, noMatch('NotificationRule'));
    });
  });

  describe('validation (DRF bodies)', () => {
    it.each([
      [{}, { name: ['This field is required.'] }],
      [{ name: '' }, { name: ['This field may not be blank.'] }],
      [{ name: 'alert ops' }, { name: ['Notification Rule with this name already exists.'] }],
      [{ name: 'x', transports: [UNKNOWN_UUID] }, { transports: [`Invalid pk "${UNKNOWN_UUID}" - object does not exist.`] }],
      [{ name: 'x', transports: 'abc' }, { transports: ['Expected a list of items but got type "str".'] }],
      [{ name: 'x', transports: ['abc'] }, { transports: ['“abc” is not a valid UUID.'] }],
      [{ name: 'x', severity: 'foo' }, { severity: ['"foo" is not a valid choice.'] }],
      [{ name: 'x', destination_group: UNKNOWN_UUID }, { destination_group: [`Invalid pk "${UNKNOWN_UUID}" - object does not exist.`] }],
      [{ name: 'x', destination_group: 'abc' }, { destination_group: ['“abc” is not a valid UUID.'] }],
    ])('POST %j answers 400 %j', async (body, errors) => {
      expectAnswer(await t.admin.post(RULES, body), 400, errors);
    });

    it('a PUT needs the name; a PATCH to a taken name is refused', async () => {
      const rule = (await t.admin.get(`${RULES}?name=renamed`)).body.results[0];
      expectAnswer(await t.admin.put(`${RULES}${rule.pk}/`, { severity: 'warning' }), 400, { name: ['This field is required.'] });
      expectAnswer(await t.admin.patch(`${RULES}${rule.pk}/`, { name: 'alert ops' }), 400, {
        name: ['Notification Rule with this name already exists.'],
      });
    });
  });

  describe('permissions', () => {
    it('view lets a user read; writes need add/change/delete_notificationrule', async () => {
      const rule = (await t.admin.get(`${RULES}?name=renamed`)).body.results[0];
      expect((await reader.client.get(RULES)).status).toBe(200);
      expect((await reader.client.get(`${RULES}${rule.pk}/used_by/`)).status).toBe(200);
      expectForbidden(await reader.client.post(RULES, { name: 'mine' }));
      expectForbidden(await reader.client.patch(`${RULES}${rule.pk}/`, { severity: 'notice' }));
      expectForbidden(await reader.client.delete(`${RULES}${rule.pk}/`));
      expectForbidden(await nobody.client.get(RULES));
    });
  });

  describe('bindings, cascades and used_by', () => {
    it('a rule is a binding target; used_by lists bindings, policies and transports; deleting it deletes its bindings', async () => {
      const rule = await created(RULES, { name: 'bound', transports: [hook], destination_group: ops });
      const policy = await created(MATCHERS, { name: 'failed logins', action: 'login_failed' });
      const byPolicy = await created(BINDINGS, { target: rule.pk, policy: policy.pk, order: 0 });
      const byGroup = await created(BINDINGS, { target: rule.pk, group: ops, order: 1 });
      expect(byPolicy.target).toBe(rule.pk);
      expectAnswer(await t.admin.get(`${RULES}${rule.pk}/used_by/`), 200, [
        {
          app: 'authentik_policies',
          model_name: 'policybinding',
          pk: byPolicy.pk,
          name: 'Binding from Notification Rule bound #0 to Policy failed logins',
          action: 'cascade',
        },
        {
          app: 'authentik_policies',
          model_name: 'policybinding',
          pk: byGroup.pk,
          name: 'Binding from Notification Rule bound #1 to Group ops',
          action: 'cascade',
        },
        { app: 'authentik_policies', model_name: 'policy', pk: policy.pk, name: 'failed logins', action: 'cascade_many' },
        { app: 'authentik_events', model_name: 'notificationtransport', pk: hook, name: 'hook', action: 'cascade_many' },
      ]);
      expect((await t.admin.get(`${MATCHERS}${policy.pk}/used_by/`)).body).toEqual([expect.objectContaining({ pk: rule.pk })]);
      const alertOps = (await t.admin.get(`${RULES}?name=alert%20ops`)).body.results[0];
      // A group's used_by in authentik's attribute order: notificationrule_set, policybinding_set, users.
      expectAnswer(await t.admin.get(`${GROUPS}${ops}/used_by/`), 200, [
        {
          app: 'authentik_events',
          model_name: 'notificationrule',
          pk: alertOps.pk,
          name: 'Notification Rule alert ops',
          action: 'set_null',
        },
        { app: 'authentik_events', model_name: 'notificationrule', pk: rule.pk, name: 'Notification Rule bound', action: 'set_null' },
        {
          app: 'authentik_policies',
          model_name: 'policybinding',
          pk: byGroup.pk,
          name: 'Binding from Notification Rule bound #1 to Group ops',
          action: 'cascade',
        },
        { app: 'authentik_core', model_name: 'user', pk: String(member.pk), name: 'member', action: 'cascade_many' },
      ]);
      // Without the permissions to view them, a reader sees none of those.
      expectAnswer(await reader.client.get(`${RULES}${rule.pk}/used_by/`), 200, []);

      expectAnswer(await t.admin.delete(`${RULES}${rule.pk}/`), 204, undefined);
      const deleted = (await t.admin.get('/api/v3/events/events/?action=model_deleted')).body.results.map((e: any) => e.context.model);
      expect(deleted).toEqual(
        expect.arrayContaining(
          [rule.pk, byPolicy.pk, byGroup.pk].map((pk: string) => expect.objectContaining({ pk: pk.replace(/-/g, '') })),
        ),
      );
      expectAnswer(await t.admin.get(`${BINDINGS}${byPolicy.pk}/`), 404, noMatch('PolicyBinding'));
      expectAnswer(await t.admin.get(`${BINDINGS}${byGroup.pk}/`), 404, noMatch('PolicyBinding'));
      expectAnswer(await t.admin.post(BINDINGS, { target: rule.pk, group: ops, order: 2 }), 400, {
        target: [`Invalid pk "${rule.pk}" - object does not exist.`],
      });
      expectAnswer(await t.admin.get(`${MATCHERS}${policy.pk}/used_by/`), 200, []);
    });

    it("transports and groups list the rules that use them; deleting them unlinks or clears the rules' fields", async () => {
      const doomedTransport = await created(TRANSPORTS, { name: 'doomed' });
      const doomedGroup = await created(GROUPS, { name: 'doomed group' });
      const rule = await created(RULES, {
        name: 'uses doomed',
        transports: [doomedTransport.pk, local],
        destination_group: doomedGroup.pk,
      });
      expectAnswer(await t.admin.get(`${TRANSPORTS}${doomedTransport.pk}/used_by/`), 200, [
        {
          app: 'authentik_events',
          model_name: 'notificationrule',
          pk: rule.pk,
          name: 'Notification Rule uses doomed',
          action: 'cascade_many',
        },
      ]);
      expectAnswer(await t.admin.get(`${GROUPS}${doomedGroup.pk}/used_by/`), 200, [
        { app: 'authentik_events', model_name: 'notificationrule', pk: rule.pk, name: 'Notification Rule uses doomed', action: 'set_null' },
      ]);
      // Reading a group's used_by without view_notificationrule leaves the rules out.
      const groupViewer = await createUserWithToken(t, { username: 'group-viewer', permissions: ['authentik_core.view_group'] });
      expectAnswer(await groupViewer.client.get(`${GROUPS}${doomedGroup.pk}/used_by/`), 200, []);

      expect((await t.admin.delete(`${TRANSPORTS}${doomedTransport.pk}/`)).status).toBe(204);
      expect((await t.admin.delete(`${GROUPS}${doomedGroup.pk}/`)).status).toBe(204);
      expect((await t.admin.get(`${RULES}${rule.pk}/`)).body).toMatchObject({
        transports: [local],
        destination_group: null,
        destination_group_obj: null,
      });
    });
  });

  describe('what delivery will do (DeliveryInputs + planDeliveries, read from the database)', () => {
    it('plans one delivery per transport and recipient for a matching event, none for others', async () => {
      const policy = await created(MATCHERS, { name: 'configuration errors', action: 'configuration_error' });
      const rule = await created(RULES, {
        name: 'deploys',
        transports: [local, hook],
        destination_group: ops,
        destination_event_user: true,
      });
      await created(BINDINGS, { target: rule.pk, policy: policy.pk, order: 0 });
      const event = (await t.admin.post('/api/v3/events/events/', { action: 'configuration_error', app: 'tests', user: { pk: 1 } })).body;
      const plan = await t.app.get(DeliveryInputs).plan(event.pk, 'rev-1');
      expect(plan.skipped).toBeNull();
      expect(plan.deliveries.map((d) => [d.rulePk, d.transportPk, d.recipientPk])).toEqual([
        [rule.pk, local, 1],
        [rule.pk, local, member.pk],
        [rule.pk, hook, 1],
        [rule.pk, hook, member.pk],
      ]);
      expect(plan.deliveries[0].idempotencyKey).toBe(`${event.pk}/rev-1/${rule.pk}/${local}/user:1`);

      const other = (await t.admin.post('/api/v3/events/events/', { action: 'login', app: 'tests' })).body;
      expect((await t.app.get(DeliveryInputs).plan(other.pk, 'rev-1')).deliveries).toEqual([]);
      // The loop guard: an event about a policy bound to a rule.
      const policyEvent = (
        await t.admin.post('/api/v3/events/events/', {
          action: 'configuration_error',
          app: 'tests',
          context: { policy_uuid: policy.pk.replace(/-/g, '') },
        })
      ).body;
      expect(await t.app.get(DeliveryInputs).plan(policyEvent.pk, 'rev-1')).toEqual({ skipped: 'policy_loop', deliveries: [] });
      expect(await t.app.get(DeliveryInputs).plan(UNKNOWN_UUID, 'rev-1')).toEqual({ skipped: 'expired', deliveries: [] });
    });
  });
});
