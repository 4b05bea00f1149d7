import { randomUUID } from 'node:crypto';
import { AppEnum, Configuration, CoreApi, EventActions, ModelEnum, PoliciesApi, ResponseError } from '@goauthentik/api';
import { PolicyTargets } from '../src/policies/policy-targets';
import { startTestApp, TestApp } from './support/test-app';

/*
 * authentik's official client (`CoreApi` groups, `PoliciesApi` event matcher and bindings)
 * driving each resource's CRUD against the running service (issue 15): requests are understood,
 * answers deserialise into the client's models.
 */

async function rejection(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ResponseError)) throw new Error(`expected a ResponseError, got ${String(error)}`);
  const text = await error.response.text();
  return { status: error.response.status, body: text ? JSON.parse(text) : undefined };
}

describe(`the official client on groups and policies (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let core: CoreApi;
  let policies: PoliciesApi;
  let adminPk: number;

  beforeAll(async () => {
    t = await startTestApp();
    const configuration = new Configuration({ basePath: `${t.baseUrl}/api/v3`, accessToken: t.adminKey });
    core = new CoreApi(configuration);
    policies = new PoliciesApi(configuration);
    adminPk = (await core.coreUsersMeRetrieve()).user.pk;
  });
  afterAll(async () => t?.close());

  it('CoreApi groups: create, list, retrieve, update, partial update, members, used by, destroy', async () => {
    const created = await core.coreGroupsCreate({ groupRequest: { name: 'ops', attributes: { team: 'a' } } });
    expect(created).toMatchObject({ name: 'ops', isSuperuser: false, users: [], attributes: { team: 'a' }, parentsObj: null });
    expect(typeof created.numPk).toBe('number');
    const list = await core.coreGroupsList({ name: 'ops', includeUsers: true, includeChildren: true });
    expect(list.pagination.count).toBe(1);
    expect(list.results[0].childrenObj).toEqual([]);
    await core.coreGroupsAddUserCreate({ groupUuid: created.pk, userAccountRequest: { pk: adminPk } });
    const retrieved = await core.coreGroupsRetrieve({ groupUuid: created.pk });
    expect(retrieved.users).toEqual([adminPk]);
    expect(retrieved.usersObj?.[0]).toMatchObject({ pk: adminPk, username: 'akadmin' });
    const patched = await core.coreGroupsPartialUpdate({ groupUuid: created.pk, patchedGroupRequest: { name: 'operators' } });
    expect(patched).toMatchObject({ name: 'operators', users: [adminPk] });
    const updated = await core.coreGroupsUpdate({ groupUuid: created.pk, groupRequest: { name: 'operators', users: [] } });
    expect(updated.users).toEqual([]);
    await core.coreGroupsAddUserCreate({ groupUuid: created.pk, userAccountRequest: { pk: adminPk } });
    expect(await core.coreGroupsUsedByList({ groupUuid: created.pk })).toEqual([
      { app: 'authentik_core', modelName: 'user', pk: String(adminPk), name: 'akadmin', action: 'cascade_many' },
    ]);
    await core.coreGroupsRemoveUserCreate({ groupUuid: created.pk, userAccountRequest: { pk: adminPk } });
    expect(await rejection(core.coreGroupsCreate({ groupRequest: { name: 'operators' } }))).toEqual({
      status: 400,
      body: { name: ['Group with this name already exists.'] },
    });
    await core.coreGroupsDestroy({ groupUuid: created.pk });
    expect((await rejection(core.coreGroupsRetrieve({ groupUuid: created.pk }))).status).toBe(404);
  });

  it('PoliciesApi event matcher and bindings: full CRUD and used by', async () => {
    const policy = await policies.policiesEventMatcherCreate({
      eventMatcherPolicyRequest: {
        name: 'model changes',
        action: EventActions.ModelUpdated,
        app: AppEnum.AuthentikCore,
        model: ModelEnum.AuthentikCoreUser,
      },
    });
    expect(policy).toMatchObject({
      name: 'model changes',
      action: 'model_updated',
      app: 'authentik.core',
      model: 'authentik_core.user',
      boundTo: 0,
    });
    expect((await policies.policiesEventMatcherList({ name: 'model changes' })).results.map((p) => p.pk)).toEqual([policy.pk]);
    expect(
      await policies.policiesEventMatcherPartialUpdate({
        policyUuid: policy.pk,
        patchedEventMatcherPolicyRequest: { clientIp: '10.0.0.1' },
      }),
    ).toMatchObject({
      clientIp: '10.0.0.1',
      action: 'model_updated',
    });
    expect(
      await policies.policiesEventMatcherUpdate({
        policyUuid: policy.pk,
        eventMatcherPolicyRequest: { name: 'model changes', query: 'context.model.app = "authentik_core"' },
      }),
    ).toMatchObject({
      query: 'context.model.app = "authentik_core"',
    });

    const target = randomUUID();
    await t.app.get(PolicyTargets).register(target, 'authentik_events.notificationrule');
    const binding = await policies.policiesBindingsCreate({ policyBindingRequest: { target, policy: policy.pk, order: 0 } });
    expect(binding).toMatchObject({
      target,
      policy: policy.pk,
      order: 0,
      timeout: 30,
      expires: null,
      expiring: false,
      groupObj: null,
      userObj: null,
    });
    expect(binding.policyObj).toMatchObject({ pk: policy.pk, name: 'model changes', boundTo: 1 });
    expect((await policies.policiesBindingsList({ target })).results.map((b) => b.pk)).toEqual([binding.pk]);
    expect(await policies.policiesBindingsRetrieve({ policyBindingUuid: binding.pk })).toMatchObject({ pk: binding.pk, enabled: true });
    expect(
      await policies.policiesBindingsPartialUpdate({ policyBindingUuid: binding.pk, patchedPolicyBindingRequest: { negate: true } }),
    ).toMatchObject({ negate: true });
    const rebound = await policies.policiesBindingsUpdate({
      policyBindingUuid: binding.pk,
      policyBindingRequest: { target, user: adminPk, policy: null, order: 3 },
    });
    expect(rebound).toMatchObject({ user: adminPk, order: 3 });
    expect(rebound.policy ?? null).toBeNull();
    expect(rebound.userObj).toMatchObject({ pk: adminPk, username: 'akadmin' });
    expect(await policies.policiesBindingsUsedByList({ policyBindingUuid: binding.pk })).toEqual([]);
    expect(await rejection(policies.policiesBindingsCreate({ policyBindingRequest: { target, order: 1 } }))).toEqual({
      status: 400,
      body: { non_field_errors: ["One of 'group', 'policy', 'user' must be set."] },
    });
    // A field left out of a PUT keeps its value (DRF), so moving back to the policy clears the user.
    expect(
      (
        await rejection(
          policies.policiesBindingsUpdate({ policyBindingUuid: binding.pk, policyBindingRequest: { target, policy: policy.pk, order: 3 } }),
        )
      ).body,
    ).toEqual({
      non_field_errors: ["Only one of 'group', 'policy', 'user' can be set."],
    });
    await policies.policiesBindingsUpdate({
      policyBindingUuid: binding.pk,
      policyBindingRequest: { target, policy: policy.pk, user: null, order: 3 },
    });
    expect(await policies.policiesEventMatcherUsedByList({ policyUuid: policy.pk })).toEqual([
      {
        app: 'authentik_policies',
        modelName: 'policybindingmodel',
        pk: target,
        name: `PolicyBindingModel ${target}`,
        action: 'cascade_many',
      },
    ]);
    await policies.policiesBindingsDestroy({ policyBindingUuid: binding.pk });
    expect(await policies.policiesEventMatcherRetrieve({ policyUuid: policy.pk })).toMatchObject({ boundTo: 0 });
    await policies.policiesEventMatcherDestroy({ policyUuid: policy.pk });
    expect((await rejection(policies.policiesEventMatcherRetrieve({ policyUuid: policy.pk }))).status).toBe(404);
  });
});
