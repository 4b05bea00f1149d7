import { User } from '../../src/identity/entities/user.entity';
import { EVENTS, formatMicros } from '../events/event-fixtures';
import { createUserWithToken, UserFixture } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  eventsDuring,
  expectedEvent,
  hex,
  httpRequestOf,
  MASK,
  MODEL_EVENTS_APP,
  pythonDateTime,
  snapshotOf,
  WITH_UA,
} from './recording-fixtures';

const USERS = '/api/v3/core/users/';
const TOKENS = '/api/v3/core/tokens/';
const ROLES = '/api/v3/rbac/roles/';

/**
 * Automatic model events (docs/api-contract.md §6.3): every change of a user, token or role through the API
 * records model_created / model_updated / model_deleted, with the model reference authentik's
 * `model_to_dict` writes, the request, the acting user and, for updates, the masked diff.
 */
describe(`model events (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let admin: { pk: number; username: string; email: string };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await snapshotOf(t.admin);
  });
  afterAll(async () => t?.close());

  const modelEvent = (action: string, context: object, user: object = admin) =>
    expectedEvent({ user, action, app: MODEL_EVENTS_APP, context, client_ip: '127.0.0.1' });
  const lastUpdated = async (pk: number) => formatMicros((await t.dataSource.getRepository(User).findOneByOrFail({ id: pk })).lastUpdated);

  describe('users', () => {
    let pk: number;
    const userRef = (name: string) => ({ app: 'authentik_core', model_name: 'user', pk, name });

    it('creating one records model_created naming it by its display name; secret query args masked', async () => {
      let res: any;
      const events = await eventsDuring(t, async () => {
        res = await t.admin.post(`${USERS}?next=%2Fhome&api_key=abc`, { username: 'jane', name: 'Jane Doe' }, WITH_UA);
      });
      expect(res.status).toBe(201);
      pk = res.body.pk;
      expect(events).toEqual([
        modelEvent('model_created', {
          model: userRef('Jane Doe'),
          http_request: httpRequestOf(res, 'POST', USERS, { next: '/home', api_key: MASK }),
        }),
      ]);
    });

    it('updating one records model_updated with the changed fields, a secret in attributes masked', async () => {
      const before = await lastUpdated(pk);
      let res: any;
      const events = await eventsDuring(t, async () => {
        res = await t.admin.patch(`${USERS}${pk}/`, { name: 'Jane Q. Doe', attributes: { api_key: 'x', theme: 'dark' } }, WITH_UA);
      });
      expect(res.status).toBe(200);
      expect(events).toEqual([
        modelEvent('model_updated', {
          model: userRef('Jane Q. Doe'),
          diff: {
            name: { previous_value: 'Jane Doe', new_value: 'Jane Q. Doe' },
            last_updated: { previous_value: before, new_value: await lastUpdated(pk) },
            attributes: { previous_value: {}, new_value: { api_key: MASK, theme: 'dark' } },
          },
          http_request: httpRequestOf(res, 'PATCH', `${USERS}${pk}/`),
        }),
      ]);
      expect(JSON.stringify(events)).not.toContain('"x"');
    });

    it('changing only a secret still shows the field as changed, masked on both sides', async () => {
      const events = await eventsDuring(t, () => t.admin.patch(`${USERS}${pk}/`, { attributes: { api_key: 'y', theme: 'dark' } }, WITH_UA));
      expect(events[0].context.diff.attributes).toEqual({
        previous_value: { api_key: MASK, theme: 'dark' },
        new_value: { api_key: MASK, theme: 'dark' },
      });
    });

    it("a change of the user's roles is part of the diff, as role pks (hex)", async () => {
      const role = (await t.admin.post(ROLES, { name: 'jane-role' })).body.pk;
      const events = await eventsDuring(t, () => t.admin.patch(`${USERS}${pk}/`, { roles: [role] }, WITH_UA));
      expect(events).toHaveLength(1);
      expect(events[0].context.diff).toEqual({
        roles: { previous_value: [], new_value: [hex(role)] },
        last_updated: expect.any(Object),
      });
    });

    it('two concurrent updates of one user both land, each with its own model_updated', async () => {
      // On SQLite each event is computed before its transaction (auditedUpdateAhead), which checks
      // that the user has not moved meanwhile (the fallback itself: audited-change.spec.ts).
      const attributes = (tag: string) => Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`${tag}${i}`, i]));
      let answers: any[] = [];
      const events = await eventsDuring(t, async () => {
        answers = await Promise.all([
          t.admin.patch(`${USERS}${pk}/`, { attributes: attributes('a') }),
          t.admin.patch(`${USERS}${pk}/`, { attributes: attributes('b') }),
        ]);
      });
      expect(answers.map((res) => res.status)).toEqual([200, 200]);
      expect(events.map((event: any) => event.action)).toEqual(['model_updated', 'model_updated']);
      const stored = (await t.dataSource.getRepository(User).findOneByOrFail({ id: pk })).attributes;
      // The stored attributes are one update's, and the events' diffs show both updates' values.
      expect([Object.keys(stored).length, ['a0', 'b0'].filter((key) => key in stored).length]).toEqual([5000, 1]);
      const written = events.map((event: any) => Object.keys(event.context.diff.attributes.new_value)[0]).sort();
      expect(written).toEqual(['a0', 'b0']);
    });

    it('deleting one records model_deleted for each of its tokens (the cascade), then for the user', async () => {
      const token = await t.admin.post(TOKENS, { identifier: 'jane-token', intent: 'api', user: pk, expiring: false });
      expect(token.status).toBe(201);
      let res: any;
      const events = await eventsDuring(t, async () => {
        res = await t.admin.delete(`${USERS}${pk}/`, WITH_UA);
      });
      expect(res.status).toBe(204);
      const httpRequest = httpRequestOf(res, 'DELETE', `${USERS}${pk}/`);
      expect(events).toEqual([
        modelEvent('model_deleted', {
          model: { app: 'authentik_core', model_name: 'token', pk: hex(token.body.pk), name: 'jane-token' },
          http_request: httpRequest,
        }),
        modelEvent('model_deleted', { model: userRef('Jane Q. Doe'), http_request: httpRequest }),
      ]);
    });
  });

  describe('tokens', () => {
    let owner: UserFixture;
    let token: { pk: string; expires: string };
    const tokenRef = () => ({
      app: 'authentik_core',
      model_name: 'token',
      pk: hex(token.pk),
      name: `deploy (expires=${pythonDateTime(token.expires)})`,
    });

    beforeAll(async () => {
      owner = await createUserWithToken(t, { username: 'owner' });
    });

    it("creating one records model_created named as str(token), by the token's creator", async () => {
      let res: any;
      const events = await eventsDuring(t, async () => {
        res = await owner.client.post(TOKENS, { identifier: 'deploy', intent: 'api' }, WITH_UA);
      });
      expect(res.status).toBe(201);
      token = res.body;
      expect(events).toEqual([
        modelEvent(
          'model_created',
          { model: tokenRef(), http_request: httpRequestOf(res, 'POST', TOKENS) },
          { pk: owner.pk, username: 'owner', email: 'owner@example.com' },
        ),
      ]);
    });

    it('updating one records model_updated with the diff', async () => {
      let res: any;
      const events = await eventsDuring(t, async () => {
        res = await t.admin.patch(`${TOKENS}deploy/`, { description: 'CI deploys' }, WITH_UA);
      });
      expect(res.status).toBe(200);
      expect(events).toEqual([
        modelEvent('model_updated', {
          model: tokenRef(),
          diff: { description: { previous_value: '', new_value: 'CI deploys' } },
          http_request: httpRequestOf(res, 'PATCH', `${TOKENS}deploy/`),
        }),
      ]);
    });

    it('view_key records secret_view naming the token', async () => {
      let res: any;
      const events = await eventsDuring(t, async () => {
        res = await owner.client.get(`${TOKENS}deploy/view_key/`, WITH_UA);
      });
      expect(res.status).toBe(200);
      expect(events).toEqual([
        expectedEvent({
          user: { pk: owner.pk, username: 'owner', email: 'owner@example.com' },
          action: 'secret_view',
          app: 'authentik.core.api.tokens',
          context: { secret: tokenRef(), http_request: httpRequestOf(res, 'GET', `${TOKENS}deploy/view_key/`) },
          client_ip: '127.0.0.1',
        }),
      ]);
      expect(JSON.stringify(events)).not.toContain(res.body.key);
    });

    it('deleting one records model_deleted', async () => {
      let res: any;
      const events = await eventsDuring(t, async () => {
        res = await t.admin.delete(`${TOKENS}deploy/`, WITH_UA);
      });
      expect(res.status).toBe(204);
      expect(events).toEqual([
        modelEvent('model_deleted', { model: tokenRef(), http_request: httpRequestOf(res, 'DELETE', `${TOKENS}deploy/`) }),
      ]);
    });
  });

  describe('roles', () => {
    let pk: string;
    const roleRef = (name: string) => ({ app: 'authentik_rbac', model_name: 'role', pk: hex(pk), name });

    it('creating one records model_created', async () => {
      let res: any;
      const events = await eventsDuring(t, async () => {
        res = await t.admin.post(ROLES, { name: 'auditors' }, WITH_UA);
      });
      expect(res.status).toBe(201);
      pk = res.body.pk;
      expect(events).toEqual([
        modelEvent('model_created', { model: roleRef('auditors'), http_request: httpRequestOf(res, 'POST', ROLES) }),
      ]);
    });

    it('updating one records model_updated with the diff (PUT as PATCH)', async () => {
      let res: any;
      const events = await eventsDuring(t, async () => {
        res = await t.admin.put(`${ROLES}${pk}/`, { name: 'reviewers' }, WITH_UA);
      });
      expect(res.status).toBe(200);
      expect(events).toEqual([
        modelEvent('model_updated', {
          model: roleRef('reviewers'),
          diff: { name: { previous_value: 'auditors', new_value: 'reviewers' } },
          http_request: httpRequestOf(res, 'PUT', `${ROLES}${pk}/`),
        }),
      ]);
    });

    it('an update that changes nothing still records model_updated, with an empty diff (as authentik)', async () => {
      const events = await eventsDuring(t, () => t.admin.patch(`${ROLES}${pk}/`, {}, WITH_UA));
      expect(events.map((e) => [e.action, e.context.diff])).toEqual([['model_updated', {}]]);
    });

    it('adding or removing a member records model_updated with the user pk; a no-op records nothing', async () => {
      const member = await createUserWithToken(t);
      const add = `${ROLES}${pk}/add_user/`;
      const remove = `${ROLES}${pk}/remove_user/`;
      const responses: any[] = [];
      const events = await eventsDuring(t, async () => {
        for (const path of [add, add, remove, remove]) responses.push(await t.admin.post(path, { pk: member.pk }, WITH_UA));
      });
      expect(responses.map((res) => res.status)).toEqual([204, 204, 204, 204]);
      expect(events).toEqual([
        modelEvent('model_updated', {
          model: roleRef('reviewers'),
          diff: { users: { add: [member.pk] } },
          http_request: httpRequestOf(responses[0], 'POST', add),
        }),
        modelEvent('model_updated', {
          model: roleRef('reviewers'),
          diff: { users: { remove: [member.pk] } },
          http_request: httpRequestOf(responses[2], 'POST', remove),
        }),
      ]);
    });

    it('assigning or unassigning permissions records model_updated with the permissions changed', async () => {
      const assign = `/api/v3/rbac/permissions/assigned_by_roles/${pk}/assign/`;
      const unassign = `/api/v3/rbac/permissions/assigned_by_roles/${pk}/unassign/`;
      const granted = ['authentik_events.view_event', 'authentik_core.change_user'];
      let first: any;
      let last: any;
      const events = await eventsDuring(t, async () => {
        first = await t.admin.post(assign, { permissions: granted }, WITH_UA);
        expect(first.status).toBe(200);
        // Already held: nothing changes, nothing is recorded; only the new one is.
        expect(
          (await t.admin.post(assign, { permissions: ['authentik_events.view_event', 'authentik_core.view_user'] }, WITH_UA)).status,
        ).toBe(200);
        last = await t.admin.patch(unassign, { permissions: ['authentik_core.change_user', 'authentik_core.delete_user'] }, WITH_UA);
        expect(last.status).toBe(204);
        expect((await t.admin.patch(unassign, { permissions: ['authentik_core.delete_user'] }, WITH_UA)).status).toBe(204);
      });
      const permissionsEvent = (diff: object, res: any, method: string, path: string) =>
        modelEvent('model_updated', {
          model: roleRef('reviewers'),
          diff: { permissions: diff },
          http_request: httpRequestOf(res, method, path),
        });
      expect(events).toEqual([
        permissionsEvent({ add: ['authentik_core.change_user', 'authentik_events.view_event'] }, first, 'POST', assign),
        expect.objectContaining({
          action: 'model_updated',
          context: expect.objectContaining({ diff: { permissions: { add: ['authentik_core.view_user'] } } }),
        }),
        permissionsEvent({ remove: ['authentik_core.change_user'] }, last, 'PATCH', unassign),
      ]);
      // The list filters find them like any other model event.
      const listed = (await t.admin.get(`${EVENTS}?action=model_updated&page_size=100`)).body.results.map((e: any) => e.context.diff);
      expect(listed).toEqual(
        expect.arrayContaining([{ permissions: { remove: ['authentik_core.change_user'] } }, { users: { add: [expect.any(Number)] } }]),
      );
    });

    it('a refused assignment records nothing', async () => {
      const events = await eventsDuring(t, async () => {
        expect(
          (await t.admin.post(`/api/v3/rbac/permissions/assigned_by_roles/${pk}/assign/`, { permissions: ['authentik_core.nope'] })).status,
        ).toBe(400);
        expect((await t.admin.post(`${ROLES}${pk}/add_user/`, { pk: 424242 })).status).toBe(404);
      });
      expect(events).toEqual([]);
    });

    it('deleting one records model_deleted', async () => {
      let res: any;
      const events = await eventsDuring(t, async () => {
        res = await t.admin.delete(`${ROLES}${pk}/`, WITH_UA);
      });
      expect(res.status).toBe(204);
      expect(events).toEqual([
        modelEvent('model_deleted', { model: roleRef('reviewers'), http_request: httpRequestOf(res, 'DELETE', `${ROLES}${pk}/`) }),
      ]);
    });
  });

  it('a refused change records nothing', async () => {
    const events = await eventsDuring(t, async () => {
      expect((await t.admin.post(USERS, { username: 'akadmin', name: 'Dup' })).status).toBe(400);
      expect((await t.admin.post(ROLES, { name: '' })).status).toBe(400);
    });
    expect(events).toEqual([]);
  });

  it('changes to events are never recorded as model events', async () => {
    const created = await t.admin.post(EVENTS, { action: 'login', app: 'authentik.core' });
    const events = await eventsDuring(t, async () => {
      await t.admin.patch(`${EVENTS}${created.body.pk}/`, { app: 'changed' });
      await t.admin.delete(`${EVENTS}${created.body.pk}/`);
    });
    expect(events).toEqual([]);
  });
});
