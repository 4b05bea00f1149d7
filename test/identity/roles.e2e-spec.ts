import { createUserWithToken, UserFixture } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { NOT_FOUND, PAGE_KEYS, UUID, expectAnswer, expectForbidden, noMatch, singlePage } from './identity-expectations';

const ROLES = '/api/v3/rbac/roles/';
const UNKNOWN_UUID = '5d2f6a8e-0c1b-4f3a-9e7d-2b4c6d8e0f1a';

describe(`rbac roles (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let reader: UserFixture;
  let editor: UserFixture;
  let member: UserFixture;

  beforeAll(async () => {
    t = await startTestApp();
    reader = await createUserWithToken(t, { username: 'reader', permissions: ['authentik_rbac.view_role'] });
    editor = await createUserWithToken(t, { username: 'editor', permissions: ['authentik_rbac.change_role'] });
    member = await createUserWithToken(t, { username: 'member' });
  });
  afterAll(async () => t?.close());

  const names = async (query = '') => (await t.admin.get(`${ROLES}${query}`)).body.results.map((r: { name: string }) => r.name);

  describe('rbac_roles_create', () => {
    it('creates a role', async () => {
      const res = await t.admin.post(ROLES, { name: ' Operators ', pk: UNKNOWN_UUID });
      expectAnswer(res, 201, { pk: expect.stringMatching(UUID), name: 'Operators' });
      expect(res.body.pk).not.toBe(UNKNOWN_UUID);
    });

    it('refuses bad input in DRF words and creates nothing', async () => {
      const before = await names();
      const cases: [unknown, unknown][] = [
        [{}, { name: ['This field is required.'] }],
        [{ name: '' }, { name: ['This field may not be blank.'] }],
        [{ name: null }, { name: ['This field may not be null.'] }],
        [{ name: ['a'] }, { name: ['Not a valid string.'] }],
        [{ name: 'r'.repeat(151) }, { name: ['Ensure this field has no more than 150 characters.'] }],
        [{ name: 'Operators' }, { name: ['Role with this name already exists.'] }],
      ];
      for (const [body, errors] of cases) expectAnswer(await t.admin.post(ROLES, body), 400, errors);
      expect(await names()).toEqual(before);
    });

    it('needs authentik_rbac.add_role', async () => {
      expectForbidden(await reader.client.post(ROLES, { name: 'sneaky' }));
      expect(await names('?name=sneaky')).toEqual([]);
    });
  });

  describe('rbac_roles_list and rbac_roles_retrieve', () => {
    it('lists by name with filters and search; needs view_role', async () => {
      await t.admin.post(ROLES, { name: 'auditors' });
      const res = await reader.client.get(ROLES);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(PAGE_KEYS);
      // The fixture roles of reader, editor and the two made here.
      expect(res.body.pagination).toEqual(singlePage(4));
      expect(res.body.results.every((role: object) => Object.keys(role).join() === 'pk,name')).toBe(true);
      expect(await names('?name=auditors')).toEqual(['auditors']);
      expect(await names('?search=OPERA')).toEqual(['Operators']);
      expect(await names(`?users=${reader.pk}`)).toEqual([expect.stringMatching(/^role-/)]);
      expect(await names(`?users=${member.pk}`)).toEqual([]);
      expectAnswer(await t.admin.get(`${ROLES}?users=abc`), 400, { users: ['Enter a number.'] });
      expectForbidden(await member.client.get(ROLES));
    });

    it('retrieves by uuid', async () => {
      const role = (await t.admin.get(`${ROLES}?name=auditors`)).body.results[0];
      expectAnswer(await reader.client.get(`${ROLES}${role.pk}/`), 200, role);
      expectAnswer(await reader.client.get(`${ROLES}${role.pk.replace(/-/g, '').toUpperCase()}/`), 200, role);
      expectAnswer(await reader.client.get(`${ROLES}${UNKNOWN_UUID}/`), 404, noMatch('Role'));
      expectAnswer(await reader.client.get(`${ROLES}not-a-uuid/`), 404, NOT_FOUND);
      expectForbidden(await member.client.get(`${ROLES}${role.pk}/`));
    });
  });

  describe('rbac_roles_update, partial_update and destroy', () => {
    let pk: string;
    beforeAll(async () => {
      pk = (await t.admin.post(ROLES, { name: 'temp' })).body.pk;
    });

    it('renames with PUT and PATCH', async () => {
      expectAnswer(await editor.client.put(`${ROLES}${pk}/`, {}), 400, { name: ['This field is required.'] });
      expectAnswer(await editor.client.put(`${ROLES}${pk}/`, { name: 'temp-2' }), 200, { pk, name: 'temp-2' });
      expectAnswer(await editor.client.patch(`${ROLES}${pk}/`, {}), 200, { pk, name: 'temp-2' });
      expectAnswer(await editor.client.patch(`${ROLES}${pk}/`, { name: 'temp-2' }), 200, { pk, name: 'temp-2' });
      expectAnswer(await editor.client.patch(`${ROLES}${pk}/`, { name: 'auditors' }), 400, {
        name: ['Role with this name already exists.'],
      });
      expectAnswer(await t.admin.get(`${ROLES}${pk}/`), 200, { pk, name: 'temp-2' });
      expectAnswer(await editor.client.patch(`${ROLES}${UNKNOWN_UUID}/`, { name: 'x' }), 404, noMatch('Role'));
      expectForbidden(await reader.client.patch(`${ROLES}${pk}/`, { name: 'x' }));
    });

    it('deletes, with its memberships', async () => {
      await t.admin.post(`${ROLES}${pk}/add_user/`, { pk: member.pk });
      expectForbidden(await editor.client.delete(`${ROLES}${pk}/`));
      expectAnswer(await t.admin.delete(`${ROLES}${pk}/`), 204, undefined);
      expectAnswer(await t.admin.get(`${ROLES}${pk}/`), 404, noMatch('Role'));
      expect((await t.admin.get(`/api/v3/core/users/${member.pk}/`)).body.roles).toEqual([]);
    });
  });

  describe('rbac_roles_add_user_create and rbac_roles_remove_user_create', () => {
    let pk: string;
    beforeAll(async () => {
      pk = (await t.admin.post(ROLES, { name: 'members' })).body.pk;
    });
    const rolesOfMember = async () => (await t.admin.get(`/api/v3/core/users/${member.pk}/`)).body.roles;

    it('adds and removes a member (204, idempotent)', async () => {
      expectAnswer(await t.admin.post(`${ROLES}${pk}/add_user/`, { pk: member.pk }), 204, undefined);
      expectAnswer(await t.admin.post(`${ROLES}${pk}/add_user/`, { pk: String(member.pk) }), 204, undefined);
      expect(await rolesOfMember()).toEqual([pk]);
      expectAnswer(await t.admin.post(`${ROLES}${pk}/remove_user/`, { pk: member.pk }), 204, undefined);
      expectAnswer(await t.admin.post(`${ROLES}${pk}/remove_user/`, { pk: member.pk }), 204, undefined);
      expect(await rolesOfMember()).toEqual([]);
    });

    it("answers authentik's 404s for unknown users and roles, and 400 for a bad body", async () => {
      expectAnswer(await t.admin.post(`${ROLES}${pk}/add_user/`, { pk: 999999 }), 404, NOT_FOUND);
      expectAnswer(await t.admin.post(`${ROLES}${UNKNOWN_UUID}/add_user/`, { pk: member.pk }), 404, noMatch('Role'));
      expectAnswer(await t.admin.post(`${ROLES}zzz/add_user/`, { pk: member.pk }), 404, NOT_FOUND);
      expectAnswer(await t.admin.post(`${ROLES}${pk}/add_user/`, {}), 400, { pk: ['This field is required.'] });
      expectAnswer(await t.admin.post(`${ROLES}${pk}/remove_user/`, { pk: 'me' }), 400, { pk: ['A valid integer is required.'] });
      expect(await rolesOfMember()).toEqual([]);
    });

    it('needs change_role, and the user must be visible to the caller (view_user)', async () => {
      expectForbidden(await reader.client.post(`${ROLES}${pk}/add_user/`, { pk: member.pk }));
      // editor may change roles but not view users, so to them the user does not exist.
      expectAnswer(await editor.client.post(`${ROLES}${pk}/add_user/`, { pk: member.pk }), 404, NOT_FOUND);
      const both = await createUserWithToken(t, { permissions: ['authentik_rbac.change_role', 'authentik_core.view_user'] });
      expectAnswer(await both.client.post(`${ROLES}${pk}/add_user/`, { pk: member.pk }), 204, undefined);
      expect(await rolesOfMember()).toEqual([pk]);
    });
  });
});
