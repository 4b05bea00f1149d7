import { createUserWithToken, UserFixture } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { NOT_FOUND, expectAnswer, expectForbidden, noMatch } from './identity-expectations';

const BY_ROLES = '/api/v3/rbac/permissions/assigned_by_roles';
const UNKNOWN_UUID = '5d2f6a8e-0c1b-4f3a-9e7d-2b4c6d8e0f1a';

describe(`rbac permissions assigned by roles (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let granter: UserFixture;
  let member: UserFixture;
  let role: string;

  beforeAll(async () => {
    t = await startTestApp();
    granter = await createUserWithToken(t, { permissions: ['authentik_rbac.assign_role_permissions'] });
    member = await createUserWithToken(t);
    role = (await t.admin.post('/api/v3/rbac/roles/', { name: 'readers' })).body.pk;
    await t.admin.post(`/api/v3/rbac/roles/${role}/add_user/`, { pk: member.pk });
  });
  afterAll(async () => t?.close());

  const canListUsers = async () => (await member.client.get('/api/v3/core/users/')).status;
  const canListRoles = async () => (await member.client.get('/api/v3/rbac/roles/')).status;

  it('assigns global permissions (200, one result per permission) and they apply at once', async () => {
    expect(await canListUsers()).toBe(403);
    const res = await granter.client.post(`${BY_ROLES}/${role}/assign/`, {
      permissions: ['authentik_core.view_user', 'authentik_rbac.view_role'],
    });
    expectAnswer(res, 200, [{ id: 'authentik_core.view_user' }, { id: 'authentik_rbac.view_role' }]);
    expect(await canListUsers()).toBe(200);
    expect(await canListRoles()).toBe(200);
    // Assigning again is harmless.
    expectAnswer(await granter.client.post(`${BY_ROLES}/${role}/assign/`, { permissions: ['authentik_core.view_user'] }), 200, [
      { id: 'authentik_core.view_user' },
    ]);
    expectAnswer(await granter.client.post(`${BY_ROLES}/${role}/assign/`, { permissions: [] }), 200, []);
  });

  it('unassigns with PATCH (204)', async () => {
    expectAnswer(
      await granter.client.patch(`${BY_ROLES}/${role}/unassign/`, { permissions: ['authentik_rbac.view_role'] }),
      204,
      undefined,
    );
    expect(await canListRoles()).toBe(403);
    expect(await canListUsers()).toBe(200);
    expectAnswer(
      await granter.client.patch(`${BY_ROLES}/${role}/unassign/`, { permissions: ['authentik_rbac.view_role'] }),
      204,
      undefined,
    );
  });

  it('refuses unknown permissions and bad bodies in DRF words, changing nothing', async () => {
    const cases: [unknown, unknown][] = [
      [{}, { permissions: ['This field is required.'] }],
      [{ permissions: 'authentik_core.view_user' }, { permissions: ['Expected a list of items but got type "str".'] }],
      [{ permissions: null }, { permissions: ['This field may not be null.'] }],
      [
        { permissions: ['authentik_rbac.view_role', 'authentik_core.fly_user', 7, 'view_role'] },
        {
          permissions: {
            1: ['"authentik_core.fly_user" is not a valid choice.'],
            2: ['"7" is not a valid choice.'],
            3: ['"view_role" is not a valid choice.'],
          },
        },
      ],
      [
        { permissions: ['authentik_core.view_user'], model: 'authentik_core.car' },
        { model: ['"authentik_core.car" is not a valid choice.'] },
      ],
      [
        { permissions: ['authentik_core.view_user'], model: 'authentik_core.user', object_pk: '1' },
        { non_field_errors: ['Object-level permissions are not supported; omit model and object_pk.'] },
      ],
    ];
    for (const [body, errors] of cases) {
      expectAnswer(await granter.client.post(`${BY_ROLES}/${role}/assign/`, body), 400, errors);
      expectAnswer(await granter.client.patch(`${BY_ROLES}/${role}/unassign/`, body), 400, errors);
    }
    expect(await canListRoles()).toBe(403);
    expect(await canListUsers()).toBe(200);
  });

  it('answers 404 for unknown or malformed roles', async () => {
    const body = { permissions: ['authentik_core.view_user'] };
    expectAnswer(await granter.client.post(`${BY_ROLES}/${UNKNOWN_UUID}/assign/`, body), 404, noMatch('Role'));
    expectAnswer(await granter.client.patch(`${BY_ROLES}/${UNKNOWN_UUID}/unassign/`, body), 404, noMatch('Role'));
    expectAnswer(await granter.client.post(`${BY_ROLES}/nope/assign/`, body), 404, NOT_FOUND);
  });

  it('needs authentik_rbac.assign_role_permissions for both directions', async () => {
    const body = { permissions: ['authentik_rbac.assign_role_permissions'] };
    expectForbidden(await member.client.post(`${BY_ROLES}/${role}/assign/`, body));
    expectForbidden(await member.client.patch(`${BY_ROLES}/${role}/unassign/`, { permissions: ['authentik_core.view_user'] }));
    expect(await canListUsers()).toBe(200);
  });

  it('grants every known permission name', async () => {
    const all = [
      'authentik_events.view_event',
      'authentik_events.add_event',
      'authentik_events.change_event',
      'authentik_events.delete_event',
      'authentik_core.view_user',
      'authentik_core.add_user',
      'authentik_core.change_user',
      'authentik_core.delete_user',
      'authentik_core.view_token',
      'authentik_core.add_token',
      'authentik_core.change_token',
      'authentik_core.delete_token',
      'authentik_rbac.view_role',
      'authentik_rbac.add_role',
      'authentik_rbac.change_role',
      'authentik_rbac.delete_role',
      'authentik_rbac.assign_role_permissions',
    ];
    const res = await t.admin.post(`${BY_ROLES}/${role}/assign/`, { permissions: all });
    expectAnswer(
      res,
      200,
      all.map((id) => ({ id })),
    );
    const me = await member.client.get('/api/v3/core/users/me/');
    expect(me.body.user.system_permissions).toEqual(['add_role', 'assign_role_permissions', 'change_role', 'delete_role', 'view_role']);
  });
});
