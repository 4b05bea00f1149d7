import { createUserWithToken, UserFixture } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  ISO_MICROS,
  NOT_FOUND,
  PAGE_KEYS,
  USER_KEYS,
  USER_SELF_KEYS,
  UUID,
  expectAnswer,
  expectForbidden,
  noMatch,
  singlePage,
} from './identity-expectations';

const USERS = '/api/v3/core/users/';

describe(`core users (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let viewer: UserFixture;
  let nobody: UserFixture;
  let roleUuid: string;

  beforeAll(async () => {
    t = await startTestApp();
    viewer = await createUserWithToken(t, { username: 'viewer', permissions: ['authentik_core.view_user'] });
    nobody = await createUserWithToken(t, { username: 'nobody' });
    roleUuid = (await t.admin.post('/api/v3/rbac/roles/', { name: 'auditors' })).body.pk;
  });
  afterAll(async () => t?.close());

  const userCount = async () => (await t.admin.get(USERS)).body.pagination.count;

  describe('core_users_list', () => {
    it('pages users in authentik shape, ordered by username', async () => {
      const res = await t.admin.get(USERS);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(PAGE_KEYS);
      expect(res.body.pagination).toEqual(singlePage(3));
      expect(res.body.autocomplete).toEqual({});
      expect(res.body.results.map((u: { username: string }) => u.username)).toEqual(['akadmin', 'nobody', 'viewer']);
      const admin = res.body.results[0];
      expect(Object.keys(admin)).toEqual(USER_KEYS);
      expect(admin).toEqual({
        pk: expect.any(Number),
        username: 'akadmin',
        name: 'authentik Default Admin',
        is_active: true,
        last_login: null,
        date_joined: expect.stringMatching(ISO_MICROS),
        // The bootstrap admin is a superuser by membership of `authentik Admins`, as in authentik.
        is_superuser: true,
        groups: [expect.stringMatching(UUID)],
        groups_obj: [
          { pk: expect.stringMatching(UUID), num_pk: expect.any(Number), name: 'authentik Admins', is_superuser: true, attributes: {} },
        ],
        roles: [],
        roles_obj: [],
        email: '',
        avatar: expect.stringMatching(/^data:image\/svg\+xml;base64,/),
        attributes: {},
        uid: expect.stringMatching(/^[0-9a-f]{64}$/),
        path: 'users',
        type: 'internal',
        uuid: expect.stringMatching(UUID),
        password_change_date: expect.stringMatching(ISO_MICROS),
        last_updated: expect.stringMatching(ISO_MICROS),
      });
    });

    it('filters, searches, orders and pages', async () => {
      const names = async (query: string) =>
        (await t.admin.get(`${USERS}?${query}`)).body.results.map((u: { username: string }) => u.username);
      expect(await names('username=viewer')).toEqual(['viewer']);
      expect(await names('is_superuser=true')).toEqual(['akadmin']);
      expect(await names('is_superuser=false')).toEqual(['nobody', 'viewer']);
      expect(await names('search=OBOD')).toEqual(['nobody']);
      expect(await names('ordering=-username')).toEqual(['viewer', 'nobody', 'akadmin']);
      expect(await names('ordering=nonsense')).toEqual(['akadmin', 'nobody', 'viewer']);
      expect(await names('roles_by_name=auditors')).toEqual([]);
      const page = await t.admin.get(`${USERS}?page=2&page_size=2`);
      expect(page.body.pagination).toEqual({ next: 0, previous: 1, count: 3, current: 2, total_pages: 2, start_index: 3, end_index: 3 });
      expectAnswer(await t.admin.get(`${USERS}?page=3&page_size=2`), 404, { detail: 'Invalid page.' });
    });

    it('answers null role and group objects when asked not to include them', async () => {
      const res = await t.admin.get(`${USERS}?username=akadmin&include_roles=false&include_groups=false`);
      expect(res.body.results[0]).toMatchObject({ roles_obj: null, groups_obj: null, roles: [] });
    });

    it('refuses bad filter values in django-filter words', async () => {
      expectAnswer(await t.admin.get(`${USERS}?uuid=nope&type=robot&roles_by_name=nobody-has-this`), 400, {
        uuid: ['Enter a valid UUID.'],
        type: ['Select a valid choice. robot is not one of the available choices.'],
        roles_by_name: ['Select a valid choice. nobody-has-this is not one of the available choices.'],
      });
    });

    it('needs authentik_core.view_user', async () => {
      expectForbidden(await nobody.client.get(USERS));
      expect((await viewer.client.get(USERS)).status).toBe(200);
    });
  });

  describe('core_users_create', () => {
    it('creates a user with roles; is_superuser and other read-only fields are ignored', async () => {
      const res = await t.admin.post(USERS, {
        username: '  carol ',
        name: 'Carol',
        email: 'carol@example.com',
        roles: [roleUuid],
        attributes: { team: 'blue' },
        path: 'users/blue',
        is_superuser: true,
        pk: 999,
        uuid: '00000000-0000-0000-0000-000000000000',
      });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(USER_KEYS);
      expect(res.body).toMatchObject({
        username: 'carol',
        name: 'Carol',
        email: 'carol@example.com',
        is_superuser: false,
        is_active: true,
        roles: [roleUuid],
        roles_obj: [{ pk: roleUuid, name: 'auditors' }],
        attributes: { team: 'blue' },
        path: 'users/blue',
        type: 'internal',
      });
      expect(res.body.pk).not.toBe(999);
      expect(res.body.uuid).not.toBe('00000000-0000-0000-0000-000000000000');
      expectAnswer(await t.admin.get(`${USERS}${res.body.pk}/`), 200, res.body);
    });

    it('refuses bad input in DRF words and creates nothing', async () => {
      const before = await userCount();
      const cases: [unknown, unknown][] = [
        [{}, { username: ['This field is required.'], name: ['This field is required.'] }],
        [{ username: '', name: 'x' }, { username: ['This field may not be blank.'] }],
        [{ username: 'u'.repeat(151), name: 'x' }, { username: ['Ensure this field has no more than 150 characters.'] }],
        [{ username: 'akadmin', name: 'x' }, { username: ['This field must be unique.'] }],
        [{ username: 'dave', name: null }, { name: ['This field may not be null.'] }],
        [{ username: 'dave', name: 'x', email: 'not-an-email' }, { email: ['Enter a valid email address.'] }],
        [{ username: 'dave', name: 'x', is_active: 'maybe' }, { is_active: ['Must be a valid boolean.'] }],
        [{ username: 'dave', name: 'x', attributes: [] }, { attributes: ['Value must be a dictionary, and not have any duplicate keys.'] }],
        [{ username: 'dave', name: 'x', type: 'robot' }, { type: ['"robot" is not a valid choice.'] }],
        [
          { username: 'dave', name: 'x', type: 'internal_service_account' },
          { type: ['Setting a user to internal service account is not allowed.'] },
        ],
        [{ username: 'dave', name: 'x', path: '/users' }, { path: ['No leading or trailing slashes allowed.'] }],
        [{ username: 'dave', name: 'x', path: 'a//b' }, { path: ['No empty segments in user path allowed.'] }],
        [{ username: 'dave', name: 'x', roles: 'auditors' }, { roles: ['Expected a list of items but got type "str".'] }],
        [{ username: 'dave', name: 'x', roles: ['auditors'] }, { roles: ['“auditors” is not a valid UUID.'] }],
        [
          { username: 'dave', name: 'x', roles: [roleUuid, '0b7a8c3e-8d0c-4c1e-9d2a-000000000000'] },
          { roles: ['Invalid pk "0b7a8c3e-8d0c-4c1e-9d2a-000000000000" - object does not exist.'] },
        ],
        [
          { username: 'dave', name: 'x', groups: ['0b7a8c3e-8d0c-4c1e-9d2a-000000000001'] },
          { groups: ['Invalid pk "0b7a8c3e-8d0c-4c1e-9d2a-000000000001" - object does not exist.'] },
        ],
        [
          { username: 'dave', name: 'x', last_login: 'yesterday' },
          {
            last_login: ['Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].'],
          },
        ],
      ];
      for (const [body, errors] of cases) expectAnswer(await t.admin.post(USERS, body), 400, errors);
      expect(await userCount()).toBe(before);
      expect((await t.admin.get(`${USERS}?username=dave`)).body.results).toEqual([]);
    });

    it('needs authentik_core.add_user', async () => {
      expectForbidden(await viewer.client.post(USERS, { username: 'erin', name: 'Erin' }));
      expect((await t.admin.get(`${USERS}?username=erin`)).body.results).toEqual([]);
    });
  });

  describe('core_users_retrieve', () => {
    it('answers the user, 404 for an unknown pk and Not found. for a malformed one', async () => {
      const res = await viewer.client.get(`${USERS}${nobody.pk}/`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ pk: nobody.pk, username: 'nobody' });
      expectAnswer(await viewer.client.get(`${USERS}99999/`), 404, noMatch('User'));
      expectAnswer(await viewer.client.get(`${USERS}abc/`), 404, NOT_FOUND);
      expectForbidden(await nobody.client.get(`${USERS}${nobody.pk}/`));
    });
  });

  describe('core_users_update and core_users_partial_update', () => {
    let frank: { pk: number };
    beforeAll(async () => {
      frank = (await t.admin.post(USERS, { username: 'frank', name: 'Frank', roles: [roleUuid] })).body;
    });

    it('PATCH changes only the fields sent', async () => {
      const res = await t.admin.patch(`${USERS}${frank.pk}/`, { name: 'Frank F.', is_superuser: true });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ username: 'frank', name: 'Frank F.', roles: [roleUuid], is_superuser: false });
    });

    it('PUT needs username and name, and resets roles that are not sent', async () => {
      expectAnswer(await t.admin.put(`${USERS}${frank.pk}/`, {}), 400, {
        username: ['This field is required.'],
        name: ['This field is required.'],
      });
      const res = await t.admin.put(`${USERS}${frank.pk}/`, { username: 'frank2', name: 'Frank' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ username: 'frank2', name: 'Frank', roles: [], roles_obj: [] });
    });

    it('refuses a taken username or a missing role and changes nothing', async () => {
      const before = (await t.admin.get(`${USERS}${frank.pk}/`)).body;
      expectAnswer(await t.admin.patch(`${USERS}${frank.pk}/`, { username: 'akadmin', name: 'changed' }), 400, {
        username: ['This field must be unique.'],
      });
      expectAnswer(await t.admin.patch(`${USERS}${frank.pk}/`, { name: 'changed', roles: [7] }), 400, {
        roles: ['Invalid pk "7" - object does not exist.'],
      });
      expectAnswer(await t.admin.get(`${USERS}${frank.pk}/`), 200, before);
    });

    it("keeps a user's own username acceptable on update", async () => {
      expect((await t.admin.patch(`${USERS}${frank.pk}/`, { username: 'frank2' })).status).toBe(200);
    });

    it('answers 404s and 403s', async () => {
      expectAnswer(await t.admin.patch(`${USERS}99999/`, { name: 'x' }), 404, noMatch('User'));
      expectAnswer(await t.admin.put(`${USERS}x1/`, { username: 'a', name: 'b' }), 404, NOT_FOUND);
      expectForbidden(await viewer.client.patch(`${USERS}${frank.pk}/`, { name: 'x' }));
      expectForbidden(await viewer.client.put(`${USERS}${frank.pk}/`, { username: 'x', name: 'x' }));
    });
  });

  describe('core_users_destroy', () => {
    it('deletes the user with their tokens', async () => {
      const doomed = await createUserWithToken(t, { username: 'doomed' });
      expectForbidden(await viewer.client.delete(`${USERS}${doomed.pk}/`));
      expectAnswer(await t.admin.delete(`${USERS}${doomed.pk}/`), 204, undefined);
      expectAnswer(await t.admin.get(`${USERS}${doomed.pk}/`), 404, noMatch('User'));
      expectAnswer(await t.admin.delete(`${USERS}${doomed.pk}/`), 404, noMatch('User'));
      expectForbidden(await doomed.client.get(`${USERS}me/`), 'Token invalid/expired');
    });
  });

  describe('core_users_me_retrieve', () => {
    it('needs only authentication and answers UserSelf', async () => {
      const rbac = await createUserWithToken(t, {
        username: 'rbac',
        permissions: ['authentik_rbac.view_role', 'authentik_core.view_user'],
      });
      const res = await rbac.client.get(`${USERS}me/`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['user', 'users']);
      expect(Object.keys(res.body.user)).toEqual(USER_SELF_KEYS);
      expect(res.body.user).toEqual({
        pk: rbac.pk,
        username: 'rbac',
        name: 'rbac',
        is_active: true,
        is_superuser: false,
        is_current: true,
        groups: [],
        roles: [{ name: expect.any(String), pk: expect.stringMatching(UUID) }],
        email: 'rbac@example.com',
        avatar: expect.stringMatching(/^data:image\/svg\+xml;base64,/),
        uid: expect.stringMatching(/^[0-9a-f]{64}$/),
        settings: {},
        type: 'internal',
        system_permissions: ['view_role'],
      });
      expect(res.body.users).toEqual([res.body.user]);
      expect((await nobody.client.get(`${USERS}me/`)).body.user.system_permissions).toEqual([]);
    });

    it('answers only GET', async () => {
      for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
        expectAnswer(await t.admin.request(method, `${USERS}me/`, { body: {} }), 405, { detail: `Method "${method}" not allowed.` });
      }
    });
  });
});
