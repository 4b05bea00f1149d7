import { Logger } from '@nestjs/common';
import { Token } from '../../src/identity/entities/token.entity';
import { allSuperuserIds } from '../../src/identity/groups/group-hierarchy';
import { ApiClient } from '../support/api-client';
import { createUserWithToken, UserFixture } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { expectForbidden } from './identity-expectations';

const USERS = '/api/v3/core/users/';
const ME = '/api/v3/core/users/me/';
const BOOTSTRAP_TOKEN = '/api/v3/core/tokens/authentik-bootstrap-token/';
const MALLORY_PERMISSIONS = ['authentik_core.view_user', 'authentik_core.change_user', 'authentik_core.delete_user'];

/**
 * Issue 13, item 2: the bootstrap serves a fixed identity (the bootstrap token's owner), never
 * whoever is called `akadmin`, a name any holder of `change_user` can give themselves. A restart
 * here is the same database and the same AUTHENTIK_BOOTSTRAP_TOKEN under a freshly created app.
 */
describe(`bootstrap identity (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let bootstrapKey: string;
  let adminPk: number;
  // Their fixture client keeps the first app's address; `as(mallory.key)` follows restarts.
  let mallory: UserFixture;
  const logged: string[] = [];

  /** Starts the app again on the same database with the same bootstrap key. */
  const restart = async () => {
    await t.app.close();
    const database = t.database;
    t = await startTestApp({ AUTHENTIK_BOOTSTRAP_TOKEN: bootstrapKey }, { database });
  };
  const as = (key: string) => new ApiClient(t.baseUrl, key);
  const superuserPks = async () => allSuperuserIds(t.dataSource.manager);

  beforeAll(async () => {
    for (const level of ['log', 'warn', 'error'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    }
    t = await startTestApp();
    bootstrapKey = t.adminKey;
    adminPk = (await t.admin.get(ME)).body.user.pk;
    mallory = await createUserWithToken(t, { username: 'mallory', permissions: MALLORY_PERMISSIONS });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t?.close();
  });

  it('a change_user holder who takes the name akadmin is not superuser after a restart', async () => {
    expect((await as(mallory.key).patch(`${USERS}${adminPk}/`, { username: 'old-admin' })).status).toBe(200);
    // is_superuser is read-only in authentik's UserSerializer: sending it changes nothing.
    const renamed = await as(mallory.key).patch(`${USERS}${mallory.pk}/`, { username: 'akadmin', is_superuser: true });
    expect(renamed.body).toMatchObject({ username: 'akadmin', is_superuser: false });

    await restart();

    const impostor = await as(mallory.key).get(ME);
    expect(impostor.body.user).toMatchObject({ pk: mallory.pk, username: 'akadmin', is_superuser: false });
    const admin = await as(bootstrapKey).get(ME);
    expect(admin.body.user).toMatchObject({ pk: adminPk, username: 'old-admin', is_superuser: true });
    expect((await as(bootstrapKey).get(BOOTSTRAP_TOKEN)).body).toMatchObject({ user: adminPk, intent: 'api', expiring: false });
    expect(await superuserPks()).toEqual([adminPk]);
  });

  it('PATCH /core/users/ grants roles on change_user alone, as authentik, and records it; is_superuser stays read-only', async () => {
    const role = (await as(bootstrapKey).post('/api/v3/rbac/roles/', { name: 'deployers' })).body.pk;
    // Her own role (the fixture's permissions) is kept: PATCH replaces the list it is given.
    const mine: string[] = (await as(bootstrapKey).get(`${USERS}${mallory.pk}/`)).body.roles;
    const res = await as(mallory.key).patch(`${USERS}${mallory.pk}/`, { roles: [...mine, role], is_superuser: true });
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual(expect.arrayContaining([role]));
    expect(res.body.is_superuser).toBe(false);
    const events = (await as(bootstrapKey).get('/api/v3/events/events/?action=model_updated&page_size=100')).body.results;
    const recorded = events.find((e: any) => e.context.model?.pk === mallory.pk && e.context.diff?.roles);
    const hex = (uuid: string) => uuid.replace(/-/g, '');
    expect(recorded.context.diff.roles).toEqual({ previous_value: mine.map(hex), new_value: [...mine, role].map(hex).sort() });
    expect(recorded.user.pk).toBe(mallory.pk);
  });

  it('a deactivated bootstrap admin is active again after a restart; the impostor is untouched', async () => {
    expect((await as(mallory.key).patch(`${USERS}${adminPk}/`, { is_active: false })).status).toBe(200);
    expectForbidden(await as(bootstrapKey).get(ME), 'Token invalid/expired');
    await restart();
    expect((await as(bootstrapKey).get(ME)).body.user).toMatchObject({ pk: adminPk, is_active: true, is_superuser: true });
    expect((await as(mallory.key).get(ME)).body.user.is_superuser).toBe(false);
  });

  it('a deleted bootstrap token comes back for the superuser, not for the akadmin or a squatter of its identifier', async () => {
    expect((await as(bootstrapKey).delete(BOOTSTRAP_TOKEN)).status).toBe(204);
    expectForbidden(await as(bootstrapKey).get(ME), 'Token invalid/expired');
    const squat = await as(mallory.key).post('/api/v3/core/tokens/', { identifier: 'authentik-bootstrap-token' });
    expect(squat.body).toMatchObject({ user: mallory.pk });
    await restart();
    expect((await as(bootstrapKey).get(ME)).body.user).toMatchObject({ pk: adminPk, is_superuser: true });
    const token = await t.dataSource.getRepository(Token).findOneByOrFail({ identifier: 'authentik-bootstrap-token' });
    expect(token.userId).toBe(adminPk);
    expect(await superuserPks()).toEqual([adminPk]);
  });

  it('with the bootstrap admin deleted, a restart promotes no one and says why', async () => {
    expect((await as(mallory.key).delete(`${USERS}${adminPk}/`)).status).toBe(204);
    logged.length = 0;
    await restart();
    expect(await superuserPks()).toEqual([]);
    expect((await as(mallory.key).get(ME)).body.user).toMatchObject({ username: 'akadmin', is_superuser: false });
    expectForbidden(await as(bootstrapKey).get(ME), 'Token invalid/expired');
    expect(await t.dataSource.getRepository(Token).countBy({ identifier: 'authentik-bootstrap-token' })).toBe(0);
    expect(logged.some((line) => line.includes('akadmin') && line.includes('not promoted'))).toBe(true);
  });
});
