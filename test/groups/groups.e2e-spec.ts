import { createUserWithToken, UserFixture } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { NOT_FOUND, PAGE_KEYS, UUID, expectAnswer, expectForbidden, noMatch, singlePage } from '../identity/identity-expectations';

const GROUPS = '/api/v3/core/groups/';
const USERS = '/api/v3/core/users/';
const ME = '/api/v3/core/users/me/';
const UNKNOWN_UUID = '5d2f6a8e-0c1b-4f3a-9e7d-2b4c6d8e0f1a';
const GROUP_KEYS = [
  'pk',
  'num_pk',
  'name',
  'is_superuser',
  'parents',
  'parents_obj',
  'users',
  'users_obj',
  'attributes',
  'roles',
  'roles_obj',
  'inherited_roles_obj',
  'children',
  'children_obj',
];

/** authentik's `num_pk`: the first five decimal digits of the UUID as a 128-bit integer. */
const numPk = (uuid: string) =>
  Number(
    BigInt(`0x${uuid.replace(/-/g, '')}`)
      .toString()
      .slice(0, 5),
  );

describe(`core groups (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let viewer: UserFixture;
  let editor: UserFixture;
  let member: UserFixture;
  let adminsUuid: string;

  beforeAll(async () => {
    t = await startTestApp();
    viewer = await createUserWithToken(t, { username: 'viewer', permissions: ['authentik_core.view_group'] });
    editor = await createUserWithToken(t, {
      username: 'editor',
      permissions: [
        'authentik_core.view_group',
        'authentik_core.add_group',
        'authentik_core.change_group',
        'authentik_core.add_user_to_group',
        'authentik_core.view_user',
      ],
    });
    member = await createUserWithToken(t, { username: 'member' });
    adminsUuid = (await t.admin.get(`${GROUPS}?name=authentik%20Admins`)).body.results[0].pk;
  });
  afterAll(async () => t?.close());

  const names = async (query = '') => (await t.admin.get(`${GROUPS}${query}`)).body.results.map((g: { name: string }) => g.name);

  describe('the bootstrap admin', () => {
    it('is a superuser by membership of authentik Admins', async () => {
      const res = await t.admin.get(`${GROUPS}${adminsUuid}/`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(GROUP_KEYS);
      expect(res.body).toMatchObject({
        name: 'authentik Admins',
        is_superuser: true,
        num_pk: numPk(adminsUuid),
        parents_obj: null,
        children_obj: null,
      });
      expect(res.body.users_obj.map((u: { username: string }) => u.username)).toEqual(['akadmin']);
      expect(Object.keys(res.body.users_obj[0])).toEqual([
        'pk',
        'username',
        'name',
        'is_active',
        'last_login',
        'email',
        'attributes',
        'uid',
      ]);
    });
  });

  describe('core_groups_create', () => {
    it('creates a group with members, parents, roles and attributes, and records model_created', async () => {
      const role = (await t.admin.post('/api/v3/rbac/roles/', { name: 'operators' })).body.pk;
      const res = await t.admin.post(GROUPS, {
        name: ' ops ',
        users: [member.pk],
        parents: [adminsUuid],
        roles: [role],
        attributes: { team: 'a' },
        pk: UNKNOWN_UUID,
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        pk: expect.stringMatching(UUID),
        num_pk: numPk(res.body.pk),
        name: 'ops',
        is_superuser: false,
        parents: [adminsUuid],
        parents_obj: null,
        users: [member.pk],
        users_obj: [expect.objectContaining({ pk: member.pk, username: 'member' })],
        attributes: { team: 'a' },
        roles: [role],
        roles_obj: [{ pk: role, name: 'operators' }],
        inherited_roles_obj: null,
        children: [],
        children_obj: null,
      });
      const events = (await t.admin.get('/api/v3/events/events/?action=model_created')).body.results;
      expect(events.map((e: { context: { model: { model_name: string; name: string } } }) => e.context.model)).toContainEqual({
        app: 'authentik_core',
        model_name: 'group',
        pk: res.body.pk.replace(/-/g, ''),
        name: 'ops',
      });
    });

    it('refuses bad input in DRF words and creates nothing', async () => {
      const before = await names();
      const cases: [unknown, unknown][] = [
        [{}, { name: ['This field is required.'] }],
        [{ name: '' }, { name: ['This field may not be blank.'] }],
        [{ name: 'ops' }, { name: ['Group with this name already exists.'] }],
        [{ name: 'x', users: [999999] }, { users: ['Invalid pk "999999" - object does not exist.'] }],
        [{ name: 'x', users: 'a' }, { users: ['Expected a list of items but got type "str".'] }],
        [{ name: 'x', parents: ['abc'] }, { parents: ['“abc” is not a valid UUID.'] }],
        [{ name: 'x', parents: [UNKNOWN_UUID] }, { parents: [`Invalid pk "${UNKNOWN_UUID}" - object does not exist.`] }],
        [{ name: 'x', roles: [UNKNOWN_UUID] }, { roles: [`Invalid pk "${UNKNOWN_UUID}" - object does not exist.`] }],
        [{ name: 'x', attributes: [] }, { attributes: ['Value must be a dictionary, and not have any duplicate keys.'] }],
      ];
      for (const [body, errors] of cases) expectAnswer(await t.admin.post(GROUPS, body), 400, errors);
      expect(await names()).toEqual(before);
    });

    it('needs add_group, and enable_group_superuser to create a superuser group', async () => {
      expectForbidden(await viewer.client.post(GROUPS, { name: 'sneaky' }));
      expectAnswer(await editor.client.post(GROUPS, { name: 'sneaky', is_superuser: true }), 400, {
        is_superuser: ['User does not have permission to set superuser status to True.'],
      });
      expect((await editor.client.post(GROUPS, { name: 'plain', is_superuser: false })).status).toBe(201);
      expect(await names('?name=sneaky')).toEqual([]);
    });
  });

  describe('core_groups_list and core_groups_retrieve', () => {
    it('lists by name with filters, search, ordering and expansions; needs view_group', async () => {
      const res = await viewer.client.get(GROUPS);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(PAGE_KEYS);
      expect(res.body.pagination).toEqual(singlePage(3));
      expect(await names()).toEqual(['authentik Admins', 'ops', 'plain']);
      expect(await names('?ordering=-name')).toEqual(['plain', 'ops', 'authentik Admins']);
      expect(await names('?is_superuser=true')).toEqual(['authentik Admins']);
      expect(await names('?search=OP')).toEqual(['ops']);
      expect(await names(`?members_by_pk=${member.pk}`)).toEqual(['ops']);
      expect(await names('?members_by_username=akadmin')).toEqual(['authentik Admins']);
      expectAnswer(await t.admin.get(`${GROUPS}?members_by_username=nobody`), 400, {
        members_by_username: ['Select a valid choice. nobody is not one of the available choices.'],
      });
      const page = await t.admin.get(`${GROUPS}?page_size=1&page=2`);
      expect(page.body.pagination).toMatchObject({ count: 3, current: 2, total_pages: 3 });

      const ops = (await t.admin.get(`${GROUPS}?name=ops&include_users=false&include_parents=true&include_inherited_roles=true`)).body
        .results[0];
      expect(ops.users_obj).toBeNull();
      expect(ops.users).toEqual([member.pk]);
      expect(ops.parents_obj).toEqual([
        { pk: adminsUuid, name: 'authentik Admins', is_superuser: true, attributes: {}, group_uuid: adminsUuid },
      ]);
      expect(ops.inherited_roles_obj).toEqual([]);
      const admins = (await t.admin.get(`${GROUPS}${adminsUuid}/?include_children=True&include_users=1`)).body;
      expect(admins.children).toEqual([ops.pk]);
      expect(admins.children_obj.map((g: { name: string }) => g.name)).toEqual(['ops']);
      expect(admins.users_obj).toBeNull();

      expectAnswer(await t.admin.get(`${GROUPS}${UNKNOWN_UUID}/`), 404, noMatch('Group'));
    });
  });

  describe('membership makes superusers and gives roles', () => {
    it('a member of a descendant of a superuser group is a superuser until removed', async () => {
      // `ops` (member is in it) has `authentik Admins` as parent, so member is a superuser already.
      expect((await member.client.get(ME)).body.user.is_superuser).toBe(true);
      expect((await t.admin.get(`${USERS}${member.pk}/`)).body).toMatchObject({
        is_superuser: true,
        groups: [expect.stringMatching(UUID)],
      });
      const ops = (await t.admin.get(`${GROUPS}?name=ops`)).body.results[0];
      expect((await t.admin.patch(`${GROUPS}${ops.pk}/`, { parents: [] })).status).toBe(200);
      // The principal cache forgets at once: no waiting for its TTL.
      expect((await member.client.get(ME)).body.user.is_superuser).toBe(false);
      expectForbidden(await member.client.get(GROUPS));
    });

    it('a group whose flag is set makes its members superusers; the flag needs disable_group_superuser to clear', async () => {
      const res = await t.admin.post(GROUPS, { name: 'root', is_superuser: true });
      const root = res.body.pk;
      expect((await t.admin.post(`${GROUPS}${root}/add_user/`, { pk: member.pk })).status).toBe(204);
      expect((await member.client.get(ME)).body.user.is_superuser).toBe(true);
      expectAnswer(await editor.client.patch(`${GROUPS}${root}/`, { is_superuser: false }), 400, {
        is_superuser: ['User does not have permission to set superuser status to False.'],
      });
      expect((await editor.client.patch(`${GROUPS}${root}/`, { is_superuser: true, name: 'root' })).status).toBe(200);
      expect((await t.admin.patch(`${GROUPS}${root}/`, { is_superuser: false })).status).toBe(200);
      expect((await member.client.get(ME)).body.user.is_superuser).toBe(false);
    });

    it('roles of a group and of its ancestors give their permissions to members', async () => {
      const role = (await t.admin.post('/api/v3/rbac/roles/', { name: 'group viewers' })).body.pk;
      expect(
        (await t.admin.post(`/api/v3/rbac/permissions/assigned_by_roles/${role}/assign/`, { permissions: ['authentik_core.view_group'] }))
          .status,
      ).toBeLessThan(300);
      const parent = (await t.admin.post(GROUPS, { name: 'parent', roles: [role] })).body.pk;
      const child = (await t.admin.post(GROUPS, { name: 'child', parents: [parent], users: [member.pk] })).body;
      expect((await member.client.get(GROUPS)).status).toBe(200);
      const inherited = (await t.admin.get(`${GROUPS}${child.pk}/?include_inherited_roles=true`)).body.inherited_roles_obj;
      expect(inherited).toEqual([{ pk: role, name: 'group viewers' }]);
      expect((await t.admin.put(`${GROUPS}${child.pk}/`, { name: 'child', parents: [parent] })).body.users).toEqual([]);
      expectForbidden(await member.client.get(GROUPS));
    });
  });

  describe('superuser status is not granted through membership without the superuser permissions', () => {
    it('joining or leaving a group that makes superusers needs enable_group_superuser / disable_group_superuser', async () => {
      const changeUser = await createUserWithToken(t, {
        username: 'hr',
        permissions: ['authentik_core.change_user', 'authentik_core.view_user'],
      });
      const denied = { groups: ['User does not have permission to set superuser status to True.'] };
      // authentik lets anyone with change_user do this, making themselves a superuser.
      expectAnswer(await changeUser.client.patch(`${USERS}${changeUser.pk}/`, { groups: [adminsUuid] }), 400, denied);
      expectForbidden(await editor.client.post(`${GROUPS}${adminsUuid}/add_user/`, { pk: editor.pk }));
      expectAnswer(await editor.client.patch(`${GROUPS}${adminsUuid}/`, { users: [editor.pk] }), 400, {
        users: ['User does not have permission to set superuser status to True.'],
      });
      const sub = (await editor.client.post(GROUPS, { name: 'sub', users: [editor.pk] })).body.pk;
      expectAnswer(await editor.client.patch(`${GROUPS}${sub}/`, { parents: [adminsUuid] }), 400, {
        parents: ['User does not have permission to set superuser status to True.'],
      });
      expect((await editor.client.get(ME)).body.user.is_superuser).toBe(false);
      const adminPk = (await t.admin.get(ME)).body.user.pk;
      expectAnswer(await changeUser.client.put(`${USERS}${adminPk}/`, { username: 'akadmin', name: 'authentik Default Admin' }), 400, {
        groups: ['User does not have permission to set superuser status to False.'],
      });
      // Ordinary groups stay open to change_user / add_user_to_group, as in authentik.
      expect((await changeUser.client.patch(`${USERS}${changeUser.pk}/`, { groups: [sub] })).status).toBe(200);
      expect((await t.admin.delete(`${GROUPS}${sub}/`)).status).toBe(204);
    });
  });

  describe('add_user / remove_user', () => {
    it('answer 204 (idempotent), 404 for an unknown user or group, 403 without the permission', async () => {
      const plain = (await t.admin.get(`${GROUPS}?name=plain`)).body.results[0].pk;
      for (let i = 0; i < 2; i++) expectAnswer(await editor.client.post(`${GROUPS}${plain}/add_user/`, { pk: member.pk }), 204, undefined);
      expect((await t.admin.get(`${GROUPS}${plain}/`)).body.users).toEqual([member.pk]);
      expectAnswer(await editor.client.post(`${GROUPS}${plain}/add_user/`, { pk: member.pk + 1000 }), 404, NOT_FOUND);
      expectAnswer(await editor.client.post(`${GROUPS}${UNKNOWN_UUID}/add_user/`, { pk: member.pk }), 404, noMatch('Group'));
      expectAnswer(await editor.client.post(`${GROUPS}${plain}/add_user/`, {}), 400, { pk: ['This field is required.'] });
      expectForbidden(await editor.client.post(`${GROUPS}${plain}/remove_user/`, { pk: member.pk }));
      for (let i = 0; i < 2; i++) expect((await t.admin.post(`${GROUPS}${plain}/remove_user/`, { pk: member.pk })).status).toBe(204);
      expect((await t.admin.get(`${GROUPS}${plain}/`)).body.users).toEqual([]);
    });
  });

  describe('users carry their groups', () => {
    it('PATCH /core/users/ sets direct groups; PUT without groups clears them', async () => {
      const plain = (await t.admin.get(`${GROUPS}?name=plain`)).body.results[0];
      const res = await t.admin.patch(`${USERS}${member.pk}/`, { groups: [plain.pk] });
      expect(res.status).toBe(200);
      expect(res.body.groups).toEqual([plain.pk]);
      expect(res.body.groups_obj).toEqual([{ pk: plain.pk, num_pk: plain.num_pk, name: 'plain', is_superuser: false, attributes: {} }]);
      expect((await member.client.get(ME)).body.user.groups).toEqual([{ name: 'plain', pk: plain.pk }]);
      expectAnswer(await t.admin.patch(`${USERS}${member.pk}/`, { groups: [UNKNOWN_UUID] }), 400, {
        groups: [`Invalid pk "${UNKNOWN_UUID}" - object does not exist.`],
      });
      expect((await t.admin.put(`${USERS}${member.pk}/`, { username: 'member', name: 'member' })).body.groups).toEqual([]);
    });
  });

  describe('used_by and destroy', () => {
    it('lists members and related groups; delete answers 204 and removes the memberships', async () => {
      const parent = (await t.admin.get(`${GROUPS}?name=parent`)).body.results[0].pk;
      const used = (await t.admin.get(`${GROUPS}${parent}/used_by/`)).body;
      expect(used).toEqual(
        expect.arrayContaining([
          { app: 'authentik_core', model_name: 'group', pk: expect.stringMatching(UUID), name: 'Group child', action: 'cascade_many' },
        ]),
      );
      expectForbidden(await editor.client.delete(`${GROUPS}${parent}/`));
      expectAnswer(await t.admin.delete(`${GROUPS}${parent}/`), 204, undefined);
      expectAnswer(await t.admin.get(`${GROUPS}${parent}/`), 404, noMatch('Group'));
      expect((await t.admin.get(`${GROUPS}?name=child`)).body.results[0].parents).toEqual([]);
    });
  });
});
