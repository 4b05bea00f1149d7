import { randomUUID } from 'node:crypto';
import { parseDateTime } from '@app/common';
import { PolicyEvaluator } from '../../src/policies/policy-evaluator';
import { PolicyTargets } from '../../src/policies/policy-targets';
import { createUserWithToken, UserFixture } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { PAGE_KEYS, UUID, expectAnswer, expectForbidden, noMatch, singlePage } from '../identity/identity-expectations';

const MATCHERS = '/api/v3/policies/event_matcher/';
const BINDINGS = '/api/v3/policies/bindings/';
const UNKNOWN_UUID = '5d2f6a8e-0c1b-4f3a-9e7d-2b4c6d8e0f1a';
const POLICY_KEYS = [
  'pk',
  'name',
  'execution_logging',
  'component',
  'verbose_name',
  'verbose_name_plural',
  'meta_model_name',
  'bound_to',
  'action',
  'client_ip',
  'app',
  'model',
  'query',
];
const BINDING_KEYS = [
  'pk',
  'policy',
  'group',
  'user',
  'policy_obj',
  'group_obj',
  'user_obj',
  'target',
  'negate',
  'enabled',
  'order',
  'timeout',
  'failure_result',
  'expires',
  'expiring',
];

describe(`event-matcher policies and bindings (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let viewer: UserFixture;
  let jane: UserFixture;
  let target: string;
  let otherTarget: string;
  let loginPolicy: string;

  beforeAll(async () => {
    t = await startTestApp();
    viewer = await createUserWithToken(t, {
      username: 'viewer',
      permissions: ['authentik_policies_event_matcher.view_eventmatcherpolicy', 'authentik_policies.view_policybinding'],
    });
    jane = await createUserWithToken(t, { username: 'jane' });
    // What a notification rule will do when it is created: register itself as a binding target.
    target = randomUUID();
    otherTarget = randomUUID();
    await t.app.get(PolicyTargets).register(target, 'authentik_events.notificationrule');
    await t.app.get(PolicyTargets).register(otherTarget, 'authentik_events.notificationrule');
  });
  afterAll(async () => t?.close());

  describe('policies_event_matcher_*', () => {
    it("creates a policy; absent criteria are null; read-only fields are authentik's", async () => {
      const res = await t.admin.post(MATCHERS, { name: 'logins', action: 'login', bound_to: 7, component: 'x' });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(POLICY_KEYS);
      expect(res.body).toEqual({
        pk: expect.stringMatching(UUID),
        name: 'logins',
        execution_logging: false,
        component: 'ak-policy-event-matcher-form',
        verbose_name: 'Event Matcher Policy',
        verbose_name_plural: 'Event Matcher Policies',
        meta_model_name: 'authentik_policies_event_matcher.eventmatcherpolicy',
        bound_to: 0,
        action: 'login',
        client_ip: null,
        app: null,
        model: null,
        query: null,
      });
      loginPolicy = res.body.pk;
    });

    it('refuses bad input in DRF words', async () => {
      const cases: [unknown, unknown][] = [
        [{}, { name: ['This field is required.'] }],
        [{ name: 'logins' }, { name: ['Policy with this name already exists.'] }],
        [{ name: 'x', action: 'nope' }, { action: ['"nope" is not a valid choice.'] }],
        [{ name: 'x', app: 'authentik.nope' }, { app: ['"authentik.nope" is not a valid choice.'] }],
        [{ name: 'x', model: 'authentik_core.nope' }, { model: ['"authentik_core.nope" is not a valid choice.'] }],
        [{ name: 'x', client_ip: '' }, { client_ip: ['This field may not be blank.'] }],
        [{ name: 'x', query: '' }, { query: ['This field may not be blank.'] }],
      ];
      for (const [body, errors] of cases) expectAnswer(await t.admin.post(MATCHERS, body), 400, errors);
    });

    it('lists, filters, searches, updates and needs the event-matcher permissions', async () => {
      await t.admin.post(MATCHERS, {
        name: 'from core',
        app: 'authentik.core',
        model: 'authentik_core.user',
        client_ip: '10.0.0.1',
        query: 'context.n > 1',
      });
      const list = await viewer.client.get(MATCHERS);
      expect(Object.keys(list.body)).toEqual(PAGE_KEYS);
      expect(list.body.pagination).toEqual(singlePage(2));
      expect(list.body.results.map((p: { name: string }) => p.name)).toEqual(['from core', 'logins']);
      const names = async (q: string) => (await t.admin.get(`${MATCHERS}?${q}`)).body.results.map((p: { name: string }) => p.name);
      expect(await names('action=login')).toEqual(['logins']);
      expect(await names('app=authentik.core')).toEqual(['from core']);
      expect(await names('search=LOG')).toEqual(['logins']);
      expect(await names('ordering=-name')).toEqual(['logins', 'from core']);
      expect(await names(`policy_uuid=${loginPolicy}`)).toEqual(['logins']);

      const patched = await t.admin.patch(`${MATCHERS}${loginPolicy}/`, { client_ip: '10.0.0.9' });
      expect(patched.body).toMatchObject({ action: 'login', client_ip: '10.0.0.9' });
      const put = await t.admin.put(`${MATCHERS}${loginPolicy}/`, { name: 'logins', action: 'login', client_ip: null });
      expect(put.body).toMatchObject({ action: 'login', client_ip: null });

      expectForbidden(await viewer.client.post(MATCHERS, { name: 'sneaky' }));
      expectForbidden(await viewer.client.patch(`${MATCHERS}${loginPolicy}/`, { name: 'sneaky' }));
      expectForbidden(await jane.client.get(MATCHERS));
      expectAnswer(await t.admin.get(`${MATCHERS}${UNKNOWN_UUID}/`), 404, noMatch('EventMatcherPolicy'));
    });
  });

  describe('policies_bindings_*', () => {
    it('binds a policy, a group or a user to a target', async () => {
      const res = await t.admin.post(BINDINGS, { target, policy: loginPolicy, order: 0 });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(BINDING_KEYS);
      expect(res.body).toEqual({
        pk: expect.stringMatching(UUID),
        policy: loginPolicy,
        group: null,
        user: null,
        policy_obj: expect.objectContaining({ pk: loginPolicy, name: 'logins', action: 'login', bound_to: 1 }),
        group_obj: null,
        user_obj: null,
        target,
        negate: false,
        enabled: true,
        order: 0,
        timeout: 30,
        failure_result: false,
        expires: null,
        expiring: false,
      });
      const user = await t.admin.post(BINDINGS, { target: otherTarget, user: jane.pk, order: 5, negate: true });
      expect(user.body).toMatchObject({
        user: jane.pk,
        user_obj: expect.objectContaining({ pk: jane.pk, username: 'jane' }),
        negate: true,
      });
      const group = (await t.admin.post('/api/v3/core/groups/', { name: 'people', users: [jane.pk] })).body;
      const byGroup = await t.admin.post(BINDINGS, { target: otherTarget, group: group.pk, order: 6 });
      expect(byGroup.body.group_obj).toEqual({ pk: group.pk, num_pk: group.num_pk, name: 'people', is_superuser: false, attributes: {} });
      expect((await t.admin.get(`${MATCHERS}${loginPolicy}/`)).body.bound_to).toBe(1);
    });

    it("refuses bindings that name none or several, unknown keys, and duplicates, in authentik's words", async () => {
      const cases: [unknown, unknown][] = [
        [{ target, order: 1 }, { non_field_errors: ["One of 'group', 'policy', 'user' must be set."] }],
        [
          { target, order: 1, policy: loginPolicy, user: jane.pk },
          { non_field_errors: ["Only one of 'group', 'policy', 'user' can be set."] },
        ],
        [{ policy: loginPolicy }, { target: ['This field is required.'], order: ['This field is required.'] }],
        [{ target: 'abc', order: 1, policy: loginPolicy }, { target: ['“abc” is not a valid UUID.'] }],
        [{ target: UNKNOWN_UUID, order: 1, policy: loginPolicy }, { target: [`Invalid pk "${UNKNOWN_UUID}" - object does not exist.`] }],
        [{ target, order: 1, policy: UNKNOWN_UUID }, { policy: [`Invalid pk "${UNKNOWN_UUID}" - object does not exist.`] }],
        [{ target, order: 1, user: 999999 }, { user: ['Invalid pk "999999" - object does not exist.'] }],
        [{ target, order: 'x', policy: loginPolicy }, { order: ['A valid integer is required.'] }],
        [{ target, order: 1, timeout: -1, policy: loginPolicy }, { timeout: ['Ensure this value is greater than or equal to 0.'] }],
        [{ target, order: 0, policy: loginPolicy }, { non_field_errors: ['The fields policy, target, order must make a unique set.'] }],
      ];
      for (const [body, errors] of cases) expectAnswer(await t.admin.post(BINDINGS, body), 400, errors);
    });

    it("lists in order with authentik's filters; PATCH keeps the target; delete answers 204", async () => {
      const orders = async (q = '') => (await viewer.client.get(`${BINDINGS}${q}`)).body.results.map((b: { order: number }) => b.order);
      expect(await orders()).toEqual([0, 5, 6]);
      expect(await orders(`?target=${otherTarget}`)).toEqual([5, 6]);
      expect(await orders(`?target_in=${target}&target_in=${otherTarget}`)).toEqual([0, 5, 6]);
      expect(await orders('?policy__isnull=true')).toEqual([5, 6]);
      expect(await orders(`?policy=${loginPolicy}`)).toEqual([0]);
      expect(await orders('?ordering=-order')).toEqual([6, 5, 0]);
      expect(await orders('?search=logins')).toEqual([0]);
      const first = (await t.admin.get(`${BINDINGS}?policy=${loginPolicy}`)).body.results[0].pk;
      expect((await t.admin.patch(`${BINDINGS}${first}/`, { enabled: false })).body).toMatchObject({ enabled: false, target });
      expectAnswer(await t.admin.patch(`${BINDINGS}${first}/`, { user: jane.pk }), 400, {
        non_field_errors: ["Only one of 'group', 'policy', 'user' can be set."],
      });
      expect((await t.admin.patch(`${BINDINGS}${first}/`, { enabled: true })).status).toBe(200);
      expectAnswer(await t.admin.get(`${BINDINGS}${first}/used_by/`), 200, []);
      expect((await t.admin.get(`${MATCHERS}${loginPolicy}/used_by/`)).body).toEqual([
        {
          app: 'authentik_policies',
          model_name: 'policybindingmodel',
          pk: target,
          name: `PolicyBindingModel ${target}`,
          action: 'cascade_many',
        },
      ]);
      expectForbidden(await viewer.client.delete(`${BINDINGS}${first}/`));
      expectForbidden(await jane.client.get(BINDINGS));
      expectAnswer(await t.admin.get(`${BINDINGS}${UNKNOWN_UUID}/`), 404, noMatch('PolicyBinding'));
    });
  });

  describe('the engine over stored bindings', () => {
    const stored = async (body: object) => {
      const res = await t.admin.post('/api/v3/events/events/', body);
      expect(res.status).toBe(201);
      const e = res.body;
      const created = parseDateTime(e.created);
      return {
        eventUuid: e.pk,
        action: e.action,
        app: e.app,
        clientIp: e.client_ip,
        user: e.user,
        brand: e.brand,
        context: e.context,
        created: created.ok ? created.micros : 0,
      };
    };

    it('a target passes when any enabled binding passes', async () => {
      const evaluator = t.app.get(PolicyEvaluator);
      const login = await stored({ action: 'login', app: 'authentik.core', user: { pk: jane.pk, username: 'jane' } });
      const logout = await stored({ action: 'logout', app: 'authentik.core', user: { pk: 1, username: 'someone' } });
      expect(await evaluator.evaluate(target, login)).toEqual({ passing: true, messages: ['Action matched.'] });
      expect((await evaluator.evaluate(target, logout)).passing).toBe(false);
      // otherTarget: user jane negated (5), group people, which jane is in (6).
      expect((await evaluator.evaluate(otherTarget, login)).passing).toBe(true);
      expect((await evaluator.evaluate(otherTarget, logout)).passing).toBe(true);
      const people = (await t.admin.get('/api/v3/core/groups/?name=people')).body.results[0].pk;
      await t.admin.post(`/api/v3/core/groups/${people}/remove_user/`, { pk: jane.pk });
      expect((await evaluator.evaluate(otherTarget, login)).passing).toBe(false);
      expect((await evaluator.evaluate(randomUUID(), login)).passing).toBe(false);
    });

    it('deleting a policy or a target deletes its bindings', async () => {
      expectAnswer(await t.admin.delete(`${MATCHERS}${loginPolicy}/`), 204, undefined);
      expect((await t.admin.get(`${BINDINGS}?target=${target}`)).body.results).toEqual([]);
      await t.app.get(PolicyTargets).unregister(otherTarget);
      expect((await t.admin.get(BINDINGS)).body.results).toEqual([]);
    });
  });
});
