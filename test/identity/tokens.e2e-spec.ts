import { nowMicros } from '@app/common';
import { Token } from '../../src/identity/entities/token.entity';
import { User } from '../../src/identity/entities/user.entity';
import { createUserWithToken, UserFixture } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { ISO_MICROS, PAGE_KEYS, TOKEN_KEYS, USER_KEYS, UUID, expectAnswer, expectForbidden, noMatch } from './identity-expectations';

const TOKENS = '/api/v3/core/tokens/';
const ME = '/api/v3/core/users/me/';
const DAY_MS = 24 * 60 * 60 * 1000;

describe(`core tokens (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;

  beforeAll(async () => {
    t = await startTestApp();
    alice = await createUserWithToken(t, { username: 'alice' });
    bob = await createUserWithToken(t, { username: 'bob', permissions: ['authentik_core.view_token', 'authentik_core.change_token'] });
  });
  afterAll(async () => t?.close());

  const identifiers = async (client = t.admin, query = '') =>
    (await client.get(`${TOKENS}${query}`)).body.results.map((token: { identifier: string }) => token.identifier);

  describe('core_tokens_create (superuser)', () => {
    it('creates an api token for any user, generating the key; expiring tokens default to one day', async () => {
      const before = Date.now();
      const res = await t.admin.post(TOKENS, { identifier: 'alice-ci', user: alice.pk, description: 'CI' });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(TOKEN_KEYS);
      expect(res.body).toEqual({
        pk: expect.stringMatching(UUID),
        managed: null,
        identifier: 'alice-ci',
        intent: 'api',
        user: alice.pk,
        user_obj: expect.objectContaining({ pk: alice.pk, username: 'alice' }),
        description: 'CI',
        expires: expect.stringMatching(ISO_MICROS),
        expiring: true,
      });
      expect(Object.keys(res.body.user_obj)).toEqual(USER_KEYS);
      const expires = Date.parse(res.body.expires);
      expect(expires).toBeGreaterThanOrEqual(before + DAY_MS - 1000);
      expect(expires).toBeLessThanOrEqual(Date.now() + DAY_MS + 1000);

      const key = (await t.admin.get(`${TOKENS}alice-ci/view_key/`)).body.key;
      expect(key).toMatch(/^[A-Za-z0-9]{60}$/);
      const me = await t.anonymous.get(ME, { token: key });
      expect(me.body.user.username).toBe('alice');
    });

    it('never stores the key in plain text and never shows it outside view_key', async () => {
      const key = (await t.admin.get(`${TOKENS}alice-ci/view_key/`)).body.key;
      const row = await t.dataSource.getRepository(Token).findOneByOrFail({ identifier: 'alice-ci' });
      expect(JSON.stringify(row)).not.toContain(key);
      expect((await t.admin.get(TOKENS)).text).not.toContain(key);
      expect((await t.admin.get(`${TOKENS}alice-ci/`)).text).not.toContain(key);
    });

    it('ignores a key sent by the client', async () => {
      const res = await t.admin.post(TOKENS, { identifier: 'chosen-key', key: 'my-own-key-123456' });
      expect(res.status).toBe(201);
      expect((await t.admin.get(`${TOKENS}chosen-key/view_key/`)).body.key).not.toBe('my-own-key-123456');
      expectForbidden(await t.anonymous.get(ME, { token: 'my-own-key-123456' }), 'Token invalid/expired');
    });

    it('honours expiring, expires and app_password', async () => {
      const res = await t.admin.post(TOKENS, {
        identifier: 'forever',
        expiring: false,
        expires: '2030-01-01T00:00:00+02:00',
        intent: 'app_password',
      });
      expect(res.body).toMatchObject({
        expiring: false,
        expires: '2029-12-31T22:00:00.000000Z',
        intent: 'app_password',
        user: expect.any(Number),
      });
      expect(res.body.user_obj.username).toBe('akadmin');
    });

    it('a token created already expired does not authenticate', async () => {
      await t.admin.post(TOKENS, { identifier: 'stale', user: alice.pk, expires: '2020-01-01T00:00:00Z' });
      const key = (await t.admin.get(`${TOKENS}stale/view_key/`)).body.key;
      expectForbidden(await t.anonymous.get(ME, { token: key }), 'Token invalid/expired');
    });

    it('refuses bad input in DRF words and creates nothing', async () => {
      const before = await identifiers();
      const cases: [unknown, unknown][] = [
        [{}, { identifier: ['This field is required.'] }],
        [{ identifier: '' }, { identifier: ['This field may not be blank.'] }],
        [{ identifier: 'has space' }, { identifier: ['Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'] }],
        [{ identifier: 'a'.repeat(256) }, { identifier: ['Ensure this field has no more than 255 characters.'] }],
        [{ identifier: 'alice-ci' }, { identifier: ['Token with this identifier already exists.'] }],
        [{ identifier: 'new-1', user: 99999 }, { user: ['Invalid pk "99999" - object does not exist.'] }],
        [{ identifier: 'new-1', user: 'abc' }, { user: ['Incorrect type. Expected pk value, received str.'] }],
        [{ identifier: 'new-1', user: null }, { user: ['This field may not be null.'] }],
        [{ identifier: 'new-1', intent: 'bogus' }, { intent: ['"bogus" is not a valid choice.'] }],
        [{ identifier: 'new-1', intent: 'verification' }, { intent: ['Invalid intent verification'] }],
        [{ identifier: 'new-1', intent: 'recovery' }, { intent: ['Invalid intent recovery'] }],
        [{ identifier: 'new-1', expiring: 'sometimes' }, { expiring: ['Must be a valid boolean.'] }],
        [
          { identifier: 'new-1', expires: 'tomorrow' },
          { expires: ['Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].'] },
        ],
        [{ identifier: 'new-1', managed: '' }, { managed: ['This field may not be blank.'] }],
      ];
      for (const [body, errors] of cases) expectAnswer(await t.admin.post(TOKENS, body), 400, errors);
      expect(await identifiers()).toEqual(before);
    });

    it('refuses a taken managed marker', async () => {
      expect((await t.admin.post(TOKENS, { identifier: 'managed-1', managed: 'goauthentik.io/x' })).status).toBe(201);
      expectAnswer(await t.admin.post(TOKENS, { identifier: 'managed-2', managed: 'goauthentik.io/x' }), 400, {
        managed: ['Token with this Managed by authentik already exists.'],
      });
    });
  });

  describe('core_tokens_list', () => {
    it('shows a superuser every token, with authentik filters, search and ordering', async () => {
      const res = await t.admin.get(TOKENS);
      expect(Object.keys(res.body)).toEqual(PAGE_KEYS);
      expect(res.body.results.every((token: object) => Object.keys(token).join() === TOKEN_KEYS.join())).toBe(true);
      const all = await identifiers();
      expect(all).toEqual([...all].sort());
      expect(all).toEqual(expect.arrayContaining(['authentik-bootstrap-token', 'alice-ci', alice.tokenIdentifier, bob.tokenIdentifier]));
      expect(await identifiers(t.admin, '?user__username=alice')).toEqual(['alice-ci', 'stale', alice.tokenIdentifier].sort());
      expect(await identifiers(t.admin, '?intent=app_password')).toEqual(['forever']);
      expect(await identifiers(t.admin, '?expiring=false&search=FOREV')).toEqual(['forever']);
      expect(await identifiers(t.admin, '?identifier=stale')).toEqual(['stale']);
      const descending = await identifiers(t.admin, '?ordering=-identifier');
      expect(descending).toEqual([...all].sort().reverse());
    });

    it('shows anyone else only their own tokens, whatever their permissions', async () => {
      expect(await identifiers(alice.client)).toEqual(['alice-ci', 'stale', alice.tokenIdentifier].sort());
      expect(await identifiers(bob.client)).toEqual([bob.tokenIdentifier]);
    });
  });

  describe('a non-superuser and their own tokens', () => {
    it('creates tokens only for themselves, expiring', async () => {
      const res = await alice.client.post(TOKENS, { identifier: 'alice-own', user: bob.pk, expiring: false });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ identifier: 'alice-own', user: alice.pk, expiring: true, intent: 'api' });
      const key = (await alice.client.get(`${TOKENS}alice-own/view_key/`)).body.key;
      expect((await t.anonymous.get(ME, { token: key })).body.user.username).toBe('alice');
    });

    it('still refuses a user that does not exist', async () => {
      expectAnswer(await alice.client.post(TOKENS, { identifier: 'alice-x', user: 424242 }), 400, {
        user: ['Invalid pk "424242" - object does not exist.'],
      });
    });

    it('manages their own tokens', async () => {
      const res = await alice.client.patch(`${TOKENS}alice-own/`, { description: 'laptop' });
      expectAnswer(res, 200, expect.objectContaining({ identifier: 'alice-own', description: 'laptop' }));
      expectAnswer(await alice.client.delete(`${TOKENS}alice-own/`), 204, undefined);
    });

    it("cannot see, read the key of, change or delete anyone else's token (404, as if absent)", async () => {
      const other = 'alice-ci';
      expectAnswer(await bob.client.get(`${TOKENS}${other}/`), 404, noMatch('Token'));
      expectAnswer(await bob.client.get(`${TOKENS}${other}/view_key/`), 404, noMatch('Token'));
      expectAnswer(await bob.client.patch(`${TOKENS}${other}/`, { description: 'mine now' }), 404, noMatch('Token'));
      expectAnswer(await bob.client.put(`${TOKENS}${other}/`, { identifier: other }), 404, noMatch('Token'));
      expectAnswer(await bob.client.delete(`${TOKENS}${other}/`), 404, noMatch('Token'));
      expect((await t.admin.get(`${TOKENS}${other}/`)).body.description).toBe('CI');
    });
  });

  describe('core_tokens_retrieve / update / partial_update / destroy', () => {
    it('retrieves by identifier and answers 404 for an unknown one', async () => {
      const res = await t.admin.get(`${TOKENS}alice-ci/`);
      expectAnswer(res, 200, expect.objectContaining({ identifier: 'alice-ci', user: alice.pk }));
      expectAnswer(await t.admin.get(`${TOKENS}no-such-token/`), 404, noMatch('Token'));
      expectAnswer(await t.admin.get(`${TOKENS}no-such-token/view_key/`), 404, noMatch('Token'));
    });

    it('PATCH and PUT change fields but never the owner', async () => {
      expectAnswer(await t.admin.patch(`${TOKENS}alice-ci/`, { user: bob.pk }), 400, { user: ['User cannot be changed'] });
      expectAnswer(await t.admin.put(`${TOKENS}alice-ci/`, { description: 'x' }), 400, { identifier: ['This field is required.'] });
      expectAnswer(await t.admin.patch(`${TOKENS}alice-ci/`, { identifier: 'stale' }), 400, {
        identifier: ['Token with this identifier already exists.'],
      });
      expectAnswer(await t.admin.patch(`${TOKENS}alice-ci/`, { intent: 'verification' }), 400, { intent: ['Invalid intent verification'] });
      expect((await t.admin.get(`${TOKENS}alice-ci/`)).body).toMatchObject({ user: alice.pk, description: 'CI', intent: 'api' });

      const renamed = await t.admin.put(`${TOKENS}alice-ci/`, { identifier: 'alice-ci-2', user: alice.pk, expiring: false });
      expectAnswer(renamed, 200, expect.objectContaining({ identifier: 'alice-ci-2', user: alice.pk, expiring: false, description: 'CI' }));
      expectAnswer(await t.admin.get(`${TOKENS}alice-ci/`), 404, noMatch('Token'));
    });

    it('deleting a token stops its key at once', async () => {
      const key = (await t.admin.get(`${TOKENS}alice-ci-2/view_key/`)).body.key;
      expect((await t.anonymous.get(ME, { token: key })).status).toBe(200);
      expectAnswer(await t.admin.delete(`${TOKENS}alice-ci-2/`), 204, undefined);
      expectForbidden(await t.anonymous.get(ME, { token: key }), 'Token invalid/expired');
      expectAnswer(await t.admin.delete(`${TOKENS}alice-ci-2/`), 404, noMatch('Token'));
    });

    it('an expiring token whose time is up stops working', async () => {
      const soon = await createUserWithToken(t, { tokenExpires: nowMicros() + 60_000_000 });
      expect((await soon.client.get(ME)).status).toBe(200);
      expect((await t.admin.patch(`${TOKENS}${soon.tokenIdentifier}/`, { expires: '2001-01-01T00:00:00Z' })).status).toBe(200);
      expectForbidden(await soon.client.get(ME), 'Token invalid/expired');
      // Expiring without a date means no end, as in authentik (only `expires < now` has expired).
      expect((await t.admin.patch(`${TOKENS}${soon.tokenIdentifier}/`, { expires: null })).body).toMatchObject({
        expiring: true,
        expires: null,
      });
      expect((await soon.client.get(ME)).status).toBe(200);
    });
  });

  /**
   * authentik's token rules (TokenSerializer.validate, TokenViewSet.perform_create) bind every
   * write of a caller who is not a superuser, on create and on PUT/PATCH alike. Each exploit is
   * refused with a DRF field error and changes nothing.
   */
  describe('token rules for a non-superuser, on every write', () => {
    const MAX_LIFETIME = /^Token expires exceeds maximum lifetime \(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00 UTC\)\.$/;
    const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();
    let carol: UserFixture;
    let pass: Record<string, unknown>;

    const stored = async (identifier: string) => (await t.admin.get(`${TOKENS}${identifier}/`)).body;
    const refusedWith = (res: { status: number; body: unknown }, field: string, message: string | RegExp) => {
      expect(res.status).toBe(400);
      expect(Object.keys(res.body as object)).toEqual([field]);
      expect((res.body as Record<string, string[]>)[field]).toEqual([
        typeof message === 'string' ? message : expect.stringMatching(message),
      ]);
    };

    beforeAll(async () => {
      carol = await createUserWithToken(t, { username: 'carol' });
      const res = await carol.client.post(TOKENS, { identifier: 'carol-pass', intent: 'app_password', expires: inDays(0.5) });
      expect(res.status).toBe(201);
      pass = res.body;
    });

    it('refuses an expiring token that never expires (expires: null), for either intent', async () => {
      const before = await identifiers();
      for (const intent of ['api', 'app_password']) {
        refusedWith(await carol.client.post(TOKENS, { identifier: 'carol-forever', intent, expires: null }), 'expires', MAX_LIFETIME);
      }
      refusedWith(await carol.client.patch(`${TOKENS}carol-pass/`, { expires: null }), 'expires', MAX_LIFETIME);
      expect(await identifiers()).toEqual(before);
      expect(await stored('carol-pass')).toEqual(pass);
    });

    it('refuses an expiry beyond the maximum lifetime, on create and update', async () => {
      const before = await identifiers();
      for (const intent of ['api', 'app_password']) {
        refusedWith(
          await carol.client.post(TOKENS, { identifier: 'carol-far', intent, expires: '2099-01-01T00:00:00Z' }),
          'expires',
          MAX_LIFETIME,
        );
        refusedWith(await carol.client.post(TOKENS, { identifier: 'carol-far', intent, expires: inDays(2) }), 'expires', MAX_LIFETIME);
      }
      refusedWith(await carol.client.patch(`${TOKENS}carol-pass/`, { expires: inDays(400) }), 'expires', MAX_LIFETIME);
      refusedWith(
        await carol.client.put(`${TOKENS}carol-pass/`, { identifier: 'carol-pass', intent: 'app_password', expires: inDays(400) }),
        'expires',
        MAX_LIFETIME,
      );
      expect(await identifiers()).toEqual(before);
      expect(await stored('carol-pass')).toEqual(pass);
    });

    it('refuses turning expiring off by PATCH or PUT', async () => {
      refusedWith(
        await carol.client.patch(`${TOKENS}carol-pass/`, { expiring: false }),
        'expiring',
        'Token expiring cannot be turned off.',
      );
      refusedWith(
        await carol.client.put(`${TOKENS}carol-pass/`, { identifier: 'carol-pass', intent: 'app_password', expiring: false }),
        'expiring',
        'Token expiring cannot be turned off.',
      );
      expect(await stored('carol-pass')).toEqual(pass);
    });

    it('refuses turning an app password into an API token (or back)', async () => {
      refusedWith(await carol.client.patch(`${TOKENS}carol-pass/`, { intent: 'api' }), 'intent', 'Token intent cannot be changed.');
      refusedWith(
        await carol.client.put(`${TOKENS}carol-pass/`, { identifier: 'carol-pass', intent: 'api' }),
        'intent',
        'Token intent cannot be changed.',
      );
      refusedWith(
        await carol.client.patch(`${TOKENS}${carol.tokenIdentifier}/`, { intent: 'app_password' }),
        'intent',
        'Token intent cannot be changed.',
      );
      expect(await stored('carol-pass')).toEqual(pass);
      const key = (await carol.client.get(`${TOKENS}carol-pass/view_key/`)).body.key;
      expectForbidden(await t.anonymous.get(ME, { token: key }), 'Token invalid/expired');
    });

    it('still lets them make and manage tokens within the rules', async () => {
      const api = await carol.client.post(TOKENS, { identifier: 'carol-api', expires: inDays(0.5) });
      expect(api.status).toBe(201);
      expect(api.body).toMatchObject({ intent: 'api', expiring: true, user: carol.pk });
      expect(Date.parse(api.body.expires)).toBeLessThanOrEqual(Date.now() + DAY_MS);
      // Sending the stored token back unchanged is no change, so PUT round-trips pass.
      const { identifier, intent, description, expires, expiring } = pass;
      expect((await carol.client.put(`${TOKENS}carol-pass/`, { identifier, intent, description, expires, expiring })).status).toBe(200);
      const sooner = inDays(0.25);
      expectAnswer(
        await carol.client.patch(`${TOKENS}carol-pass/`, {
          description: 'mail client',
          expires: sooner,
          expiring: true,
          intent: 'app_password',
        }),
        200,
        expect.objectContaining({
          description: 'mail client',
          expires: sooner.replace(/Z$/, '000Z'),
          expiring: true,
          intent: 'app_password',
        }),
      );
    });

    it("follows the owner's attributes: a longer app password lifetime, non-expiring tokens", async () => {
      const dave = await createUserWithToken(t, { username: 'dave' });
      await t.dataSource.getRepository(User).update(dave.pk, {
        attributes: { 'goauthentik.io/user/token-maximum-lifetime': 'weeks=4', 'goauthentik.io/user/token-expires': false },
      });
      const pass2 = await dave.client.post(TOKENS, { identifier: 'dave-pass', intent: 'app_password', expires: inDays(20) });
      expect(pass2.body).toMatchObject({ intent: 'app_password', expiring: false, user: dave.pk });
      refusedWith(
        await dave.client.post(TOKENS, { identifier: 'dave-pass-2', intent: 'app_password', expires: inDays(30) }),
        'expires',
        MAX_LIFETIME,
      );
      // The longer lifetime is for app passwords; API tokens keep the default one.
      refusedWith(await dave.client.post(TOKENS, { identifier: 'dave-api', expires: inDays(20) }), 'expires', MAX_LIFETIME);
      expect((await dave.client.patch(`${TOKENS}dave-pass/`, { expiring: true })).body.expiring).toBe(true);
      expect((await dave.client.patch(`${TOKENS}dave-pass/`, { expiring: false })).body.expiring).toBe(false);
    });

    it("leaves a superuser free to set any terms on anyone's token", async () => {
      const res = await t.admin.patch(`${TOKENS}carol-pass/`, { intent: 'api', expiring: false, expires: '2099-01-01T00:00:00Z' });
      expectAnswer(
        res,
        200,
        expect.objectContaining({ intent: 'api', expiring: false, expires: '2099-01-01T00:00:00.000000Z', user: carol.pk }),
      );
    });
  });
});
