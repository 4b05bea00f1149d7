import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { nowMicros } from '@app/common';
import { createApp } from '../src/create-app';
import { createUserWithToken } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';
import { expectAnswer, expectForbidden } from './identity/identity-expectations';

const ME = '/api/v3/core/users/me/';
const NOT_PROVIDED = 'Authentication credentials were not provided.';
const INVALID = 'Token invalid/expired';
const UNSUPPORTED = 'Unsupported authentication type';

describe(`authentication and permissions (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const withHeader = (authorization: string) => t.anonymous.get(ME, { headers: { Authorization: authorization } });

  describe('the Authorization header', () => {
    it('refuses a request without one', async () => {
      expectForbidden(await t.anonymous.get(ME), NOT_PROVIDED);
    });

    it('treats "Bearer" with no key as no credentials (authentik validate_auth)', async () => {
      expectForbidden(await withHeader('Bearer'), NOT_PROVIDED);
      expectForbidden(await withHeader('Bearer    '), NOT_PROVIDED);
    });

    it('refuses an unknown key', async () => {
      expectForbidden(await withHeader('Bearer not-a-known-key'), INVALID);
    });

    it('refuses another scheme', async () => {
      expectForbidden(await withHeader('Basic xyz'), UNSUPPORTED);
      expectForbidden(await withHeader('Token abc'), UNSUPPORTED);
    });

    it('accepts the scheme in any case', async () => {
      const res = await withHeader(`bearer ${t.adminKey}`);
      expect(res.status).toBe(200);
      expect(res.body.user.username).toBe('akadmin');
      expect((await withHeader(`BEARER ${t.adminKey}`)).status).toBe(200);
    });

    it('accepts a valid key', async () => {
      const user = await createUserWithToken(t);
      const res = await user.client.get(ME);
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ pk: user.pk, username: user.username, is_superuser: false });
    });
  });

  describe('tokens that exist but may not be used', () => {
    it('refuses an expired token and accepts one that has not expired yet', async () => {
      const expired = await createUserWithToken(t, { tokenExpires: nowMicros() - 1_000_000 });
      expectForbidden(await expired.client.get(ME), INVALID);
      const valid = await createUserWithToken(t, { tokenExpires: nowMicros() + 3_600_000_000 });
      expect((await valid.client.get(ME)).status).toBe(200);
    });

    it('refuses the token of an inactive user', async () => {
      const inactive = await createUserWithToken(t, { active: false });
      expectForbidden(await inactive.client.get(ME), INVALID);
    });

    it('refuses tokens whose intent is not api', async () => {
      for (const intent of ['verification', 'recovery', 'app_password'] as const) {
        const user = await createUserWithToken(t, { intent });
        expectForbidden(await user.client.get(ME), INVALID);
      }
    });

    it('stops accepting a token as soon as its user is deactivated through the API', async () => {
      const user = await createUserWithToken(t);
      expect((await user.client.get(ME)).status).toBe(200);
      expect((await t.admin.patch(`/api/v3/core/users/${user.pk}/`, { is_active: false })).status).toBe(200);
      expectForbidden(await user.client.get(ME), INVALID);
    });
  });

  describe('permissions', () => {
    it('answers 403 without the permission and 200 once a role grants it', async () => {
      const user = await createUserWithToken(t);
      expectForbidden(await user.client.get('/api/v3/core/users/'));

      const role = await t.admin.post('/api/v3/rbac/roles/', { name: 'user viewers' });
      expect(role.status).toBe(201);
      const assign = await t.admin.post(`/api/v3/rbac/permissions/assigned_by_roles/${role.body.pk}/assign/`, {
        permissions: ['authentik_core.view_user'],
      });
      expectAnswer(assign, 200, [{ id: 'authentik_core.view_user' }]);
      expectAnswer(await t.admin.post(`/api/v3/rbac/roles/${role.body.pk}/add_user/`, { pk: user.pk }), 204, undefined);

      const allowed = await user.client.get('/api/v3/core/users/');
      expect(allowed.status).toBe(200);
      // One permission does not bring the others.
      expectForbidden(await user.client.post('/api/v3/core/users/', { username: 'x', name: 'x' }));

      expectAnswer(await t.admin.post(`/api/v3/rbac/roles/${role.body.pk}/remove_user/`, { pk: user.pk }), 204, undefined);
      expectForbidden(await user.client.get('/api/v3/core/users/'));
    });

    it('gives a superuser every permission without any role', async () => {
      const root = await createUserWithToken(t, { superuser: true });
      expect((await root.client.get('/api/v3/core/users/')).status).toBe(200);
      expect((await root.client.get('/api/v3/rbac/roles/')).status).toBe(200);
    });
  });

  describe('bootstrap with AUTHENTIK_BOOTSTRAP_TOKEN', () => {
    it('makes that key a superuser token of akadmin at once, never expiring', async () => {
      const me = await t.admin.get(ME);
      expect(me.status).toBe(200);
      expect(me.body.user).toMatchObject({ username: 'akadmin', is_superuser: true, is_active: true });
      const token = await t.admin.get('/api/v3/core/tokens/authentik-bootstrap-token/');
      expect(token.status).toBe(200);
      expect(token.body).toMatchObject({ intent: 'api', expiring: false, expires: null, user: me.body.user.pk });
      expectAnswer(await t.admin.get('/api/v3/core/tokens/authentik-bootstrap-token/view_key/'), 200, { key: t.adminKey });
    });
  });
});

describe(`bootstrap without AUTHENTIK_BOOTSTRAP_TOKEN (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  const logged: string[] = [];

  beforeAll(async () => {
    // Everything Nest loggers are asked to write during start-up, whatever the log level.
    for (const level of ['log', 'warn', 'error', 'debug', 'verbose'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(function (this: Logger, ...args: unknown[]) {
        logged.push(args.map(String).join(' '));
      });
    }
    t = await startTestApp({ AUTHENTIK_BOOTSTRAP_TOKEN: undefined });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t?.close();
  });

  it('writes a random key to an owner-only file, logs only its path, and the key works as akadmin', async () => {
    const path = join(t.config.dataDir, 'admin-token');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const key = readFileSync(path, 'utf8').trim();
    expect(key).toMatch(/^[A-Za-z0-9]{60}$/);

    expect(logged.some((line) => line.includes(path))).toBe(true);
    expect(logged.filter((line) => line.includes(key))).toEqual([]);

    const me = await t.anonymous.get(ME, { token: key });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ username: 'akadmin', is_superuser: true });
    // No AUTHENTIK_BOOTSTRAP_TOKEN was set, so the harness's key means nothing here.
    expectForbidden(await t.admin.get(ME), INVALID);
  });

  it('every later start says where the token is: still in that file, or that the file is gone (issue 12 item 7)', async () => {
    const path = join(t.config.dataDir, 'admin-token');
    const restart = async (): Promise<string[]> => {
      logged.length = 0;
      await (await createApp(t.config)).close(); // a second start on the same database
      return logged.filter((line) => line.includes('admin token'));
    };
    expect(await restart()).toEqual([expect.stringContaining(`the API token of akadmin is still in ${path}`)]);

    renameSync(path, `${path}.moved`);
    try {
      expect(await restart()).toEqual([
        expect.stringContaining(`${path}, written on the first start, is gone; set AUTHENTIK_BOOTSTRAP_TOKEN`),
      ]);
      expect(existsSync(path)).toBe(false); // a later start never writes a new key over the lost one
    } finally {
      renameSync(`${path}.moved`, path);
    }
  });
});
