import { createUserWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

// Resolved tokens are cached for a few seconds; every identity write must empty that cache so a
// revoked token, a deactivated user or a withdrawn permission takes effect on the next request.
describe(`principal cache invalidation (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('refuses a token at once after its user is deactivated', async () => {
    const user = await createUserWithToken(t);
    expect((await user.client.get('/api/v3/core/users/me/')).status).toBe(200);
    expect((await t.admin.patch(`/api/v3/core/users/${user.pk}/`, { is_active: false })).status).toBe(200);
    const res = await user.client.get('/api/v3/core/users/me/');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ detail: 'Token invalid/expired' });
  });

  it('refuses a token at once after it is deleted', async () => {
    const user = await createUserWithToken(t);
    expect((await user.client.get('/api/v3/core/users/me/')).status).toBe(200);
    expect((await t.admin.delete(`/api/v3/core/tokens/${user.tokenIdentifier}/`)).status).toBe(204);
    expect((await user.client.get('/api/v3/core/users/me/')).status).toBe(403);
  });

  it('withdraws a permission at once when it is unassigned from the role', async () => {
    const user = await createUserWithToken(t, { permissions: ['authentik_events.view_event'] });
    expect((await user.client.get('/api/v3/events/events/')).status).toBe(200);
    const roles = await t.admin.get(`/api/v3/rbac/roles/?search=${encodeURIComponent(`role-${user.tokenIdentifier.slice(6)}`)}`);
    const role = roles.body.results[0];
    const unassign = await t.admin.patch(`/api/v3/rbac/permissions/assigned_by_roles/${role.pk}/unassign/`, {
      permissions: ['authentik_events.view_event'],
    });
    expect(unassign.status).toBe(204);
    expect((await user.client.get('/api/v3/events/events/')).status).toBe(403);
  });
});
